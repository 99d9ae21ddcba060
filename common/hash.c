/*
 * hash.c: SHA-256 through OpenSSL's EVP interface.
 */
#include <openssl/evp.h>
#include "casefile.h"
#include "hash.h"

int sha256_init(struct sha256 *h)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	h->ctx = ctx;
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		h->ctx = NULL;
		return CF_ERR_NOMEM;
	}
	return 0;
}

void sha256_update(struct sha256 *h, const void *data, size_t n)
{
	if (h->ctx && n)
		EVP_DigestUpdate(h->ctx, data, n);
}

void sha256_final_hex(struct sha256 *h, char hex[SHA256_HEX_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	hex[0] = '\0';
	if (!h->ctx)
		return;
	EVP_DigestFinal_ex(h->ctx, md, &n);
	for (i = 0; i < n && i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * i] = '\0';
	sha256_release(h);
}

void sha256_release(struct sha256 *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

int sha256_hex(const void *data, size_t n, char hex[SHA256_HEX_LEN + 1])
{
	struct sha256 h;
	int r = sha256_init(&h);

	if (r)
		return r;
	sha256_update(&h, data, n);
	sha256_final_hex(&h, hex);
	return 0;
}
