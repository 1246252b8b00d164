// libssh2 (Debian's libssh2-1-dev), and the parts of OpenSSL's libcrypto (libssl-dev) that SSHTunnel uses to sign
// RSA user authentication with rsa-sha2-256/512 itself: libssh2 1.10 signs RSA only with SHA-1 (ssh-rsa).
// libssh2 links libcrypto already; the module map links it explicitly because SSHTunnel calls it directly.
#include <libssh2.h>
#include <libssh2_publickey.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

// Macros that Swift does not import: selections for EVP_PKEY_fromdata.
static const int capstan_EVP_PKEY_KEYPAIR = EVP_PKEY_KEYPAIR;
static const int capstan_EVP_PKEY_PUBLIC_KEY = EVP_PKEY_PUBLIC_KEY;
