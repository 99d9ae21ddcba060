/*
 * secrets.h: passwords and key passphrases for SSH, from the environment
 * or a prompt, never from the command line; wiped when freed.
 */
#ifndef SECRETS_H
#define SECRETS_H

#include "ssh.h"

/*
 * Fill o->password and o->passphrase from CASEFILE_SSH_PASSWORD and
 * CASEFILE_SSH_PASSPHRASE (removed from the environment) or from prompts on
 * the terminal (the password with ask_password, the passphrase when the key
 * is encrypted). The caller frees both with secret_free().
 */
int ssh_secrets(struct ssh_opts *o, int ask_password, char **password, char **passphrase);
/* 1 encrypted, 0 not, -1 unreadable */
int key_is_encrypted(const char *path);
/* Wipe and free. */
void secret_free(char *s);

#endif
