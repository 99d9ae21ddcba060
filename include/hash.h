/*
 * hash.h: SHA-256 through OpenSSL libcrypto, streaming.
 */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

struct sha256 {
	void *ctx;	/* EVP_MD_CTX */
};

int sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t n);
/* Write the lowercase hex digest (65 bytes with the NUL) and release. */
void sha256_final_hex(struct sha256 *h, char hex[SHA256_HEX_LEN + 1]);
void sha256_release(struct sha256 *h);

/* One-shot digest of a buffer. */
int sha256_hex(const void *data, size_t n, char hex[SHA256_HEX_LEN + 1]);

#endif
