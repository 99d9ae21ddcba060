<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'wp');
define('DB_PASSWORD', 'wpPw134abc');
define('AUTH_KEY', 'put your unique phrase here but this one is k3y!');
$table_prefix = 'wp_';
