/*
 * Asymmetric keys: add_key("asymmetric") of an X.509 certificate (cert.der) and a PKCS#8 private key
 * (key.der), made with openssl in the working directory before the run with signatures and a
 * ciphertext; descriptions and KEYCTL_READ; KEYCTL_PKEY_QUERY, ENCRYPT, DECRYPT, SIGN and VERIFY with
 * Linux's info strings and errors; KEYCTL_CAPABILITIES.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "errname.h"

#define KEY_SPEC_SESSION_KEYRING -3
enum { JOIN_SESSION_KEYRING = 1, UPDATE = 2, DESCRIBE = 6, READ = 11, PKEY_QUERY = 24, PKEY_ENCRYPT, PKEY_DECRYPT,
       PKEY_SIGN, PKEY_VERIFY, CAPABILITIES = 31 };

struct pkey_query {
    uint32_t supported_ops, key_size;
    uint16_t max_data_size, max_sig_size, max_enc_size, max_dec_size;
    uint32_t spare[10];
};

struct pkey_params {
    int32_t key_id;
    uint32_t in_len, out_len;
    uint32_t spare[7];
};

static long addkey(const char *type, const char *desc, const void *payload, size_t len, int ring) {
    return syscall(SYS_add_key, type, desc, payload, len, ring);
}

static long keyctl(int op, long a, long b, long c, long d) {
    return syscall(SYS_keyctl, op, a, b, c, d);
}

static void show(const char *label, long r) {
    if (r < 0) {
        printf("%s: %s\n", label, errname(errno));
    } else {
        printf("%s: %ld\n", label, r);
    }
}

static void ok(const char *label, long r) {
    printf("%s: %s\n", label, r < 0 ? errname(errno) : "ok");
}

static size_t slurp(const char *path, unsigned char *buf, size_t size) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("%s: %s\n", path, errname(errno));
        exit(1);
    }
    size_t n = fread(buf, 1, size, f);
    fclose(f);
    return n;
}

static void describe(const char *label, long key) {
    char buf[512];
    long n = keyctl(DESCRIBE, key, (long) buf, sizeof buf, 0);
    if (n < 0) {
        printf("%s: %s\n", label, errname(errno));
    } else {
        printf("%s: %ld \"%s\"\n", label, n, buf);
    }
}

static void query(const char *label, long key, const char *info) {
    struct pkey_query q;
    memset(&q, 0xa5, sizeof q);
    long r = keyctl(PKEY_QUERY, key, 0, (long) info, (long) &q);
    if (r < 0) {
        printf("%s [%s]: %s\n", label, info, errname(errno));
        return;
    }
    printf("%s [%s]: %ld ops=%#x size=%u data=%u sig=%u enc=%u dec=%u spare0=%#x\n", label, info, r,
           q.supported_ops, q.key_size, q.max_data_size, q.max_sig_size, q.max_enc_size, q.max_dec_size,
           q.spare[0]);
}

static long op(int which, long key, const char *info, const void *in, uint32_t in_len, void *out, uint32_t out_len) {
    struct pkey_params p;
    memset(&p, 0, sizeof p);
    p.key_id = key;
    p.in_len = in_len;
    p.out_len = out_len;
    return keyctl(which, (long) &p, (long) info, (long) in, (long) out);
}

static void verify(const char *label, long key, const char *info, const unsigned char *digest, uint32_t len,
                   const char *sigfile) {
    unsigned char sig[512];
    size_t n = slurp(sigfile, sig, sizeof sig);
    show(label, op(PKEY_VERIFY, key, info, digest, len, sig, n));
}

/*
 * The public key's part, the same natively: signatures openssl made over the digest 0x40, 0x41, ...
 * (sig-HASH.bin) verified; encryptions of the key's size.
 */
static void public(long user) {
    static unsigned char cert[8192];
    size_t certlen = slurp("cert.der", cert, sizeof cert);
    ok("empty payload", addkey("asymmetric", "x", NULL, 0, KEY_SPEC_SESSION_KEYRING));
    ok("garbage", addkey("asymmetric", "x", "not a certificate", 17, KEY_SPEC_SESSION_KEYRING));
    ok("truncated cert", addkey("asymmetric", "x", cert, certlen - 1, KEY_SPEC_SESSION_KEYRING));
    ok("bad ring", addkey("asymmetric", "x", "junk", 4, 0x7ffffff0));
    ok("bad payload pointer", addkey("asymmetric", "x", (void *) 8, 100, KEY_SPEC_SESSION_KEYRING));
    long pub = addkey("asymmetric", NULL, cert, certlen, KEY_SPEC_SESSION_KEYRING);
    ok("cert", pub);
    describe("cert describe", pub);
    long named = addkey("asymmetric", "mine", cert, certlen, KEY_SPEC_SESSION_KEYRING);
    ok("cert named", named);
    describe("named describe", named);
    long again = addkey("asymmetric", "mine", cert, certlen, KEY_SPEC_SESSION_KEYRING);
    printf("same again: %s\n", again > 0 && again != named ? "new key" : again == named ? "same key" : "error");
    char buf[64];
    ok("read cert", keyctl(READ, pub, (long) buf, sizeof buf, 0));
    ok("update", keyctl(UPDATE, pub, (long) "x", 1, 0));

    const char *infos[] = {"enc=pkcs1 hash=sha256", "enc=pkcs1", "", "enc=raw", "hash=sha256", "enc=pkcs1 hash=sha1",
                           "enc=pkcs1 hash=sha512", "enc=pkcs1 hash=nope", "enc=oaep", "enc=raw hash=sha256",
                           "  enc=pkcs1\thash=sha256  ", "enc=", "hash=", "enc=pkcs1 enc=pkcs1", "bogus=1", "enc",
                           "enc=pkcs1 hash=md5", "enc=pkcs1 hash=sha384", "enc=pkcs1 hash=sha3-256",
                           "enc=pkcs1 hash=rmd160", "enc=pkcs1 hash=none", "enc=PKCS1"};
    for (size_t i = 0; i < sizeof infos / sizeof *infos; i++) {
        query("query cert", pub, infos[i]);
    }
    query("query user key", user, "enc=pkcs1");
    query("query no key", 0x7ffffff0, "enc=pkcs1");
    query("query bad info", 0x7ffffff0, "bogus");
    struct pkey_query q;
    ok("query reserved", keyctl(PKEY_QUERY, pub, 1, (long) "", (long) &q));
    ok("query bad info pointer", keyctl(PKEY_QUERY, pub, 0, 8, (long) &q));
    ok("query bad result", keyctl(PKEY_QUERY, pub, 0, (long) "", 8));

    const char *pk = "enc=pkcs1";
    unsigned char msg[256], ct[512], digest[64], sig[512];
    for (int i = 0; i < 256; i++) {
        msg[i] = i * 7 + 1;
    }
    for (int i = 0; i < 64; i++) {
        digest[i] = 0x40 + i;
    }
    show("encrypt", op(PKEY_ENCRYPT, pub, pk, msg, 32, ct, 256));
    show("encrypt with hash", op(PKEY_ENCRYPT, pub, "enc=pkcs1 hash=sha256", msg, 32, ct, 256));
    show("encrypt 245", op(PKEY_ENCRYPT, pub, pk, msg, 245, ct, 256));
    show("encrypt 246", op(PKEY_ENCRYPT, pub, pk, msg, 246, ct, 256));
    show("encrypt 257", op(PKEY_ENCRYPT, pub, pk, msg, 257, ct, 256));
    show("encrypt out 257", op(PKEY_ENCRYPT, pub, pk, msg, 32, ct, 257));
    show("encrypt raw", op(PKEY_ENCRYPT, pub, "enc=raw", msg, 256, ct, 256));
    show("encrypt raw small", op(PKEY_ENCRYPT, pub, "", msg + 200, 56, ct, 256));
    memset(sig, 0xff, 256);
    show("encrypt raw too big", op(PKEY_ENCRYPT, pub, "enc=raw", sig, 256, ct, 256));
    show("encrypt bad hash", op(PKEY_ENCRYPT, pub, "enc=pkcs1 hash=nope", msg, 32, ct, 256));
    show("encrypt bad in", op(PKEY_ENCRYPT, pub, pk, (void *) 8, 32, ct, 256));
    show("encrypt bad out", op(PKEY_ENCRYPT, pub, pk, msg, 32, (void *) 8, 256));
    show("decrypt with cert", op(PKEY_DECRYPT, pub, pk, ct, 256, msg, 256));
    show("sign with cert", op(PKEY_SIGN, pub, "enc=pkcs1 hash=sha256", digest, 32, sig, 256));
    show("sign raw with cert", op(PKEY_SIGN, pub, "enc=raw", digest, 32, sig, 256));

    verify("verify sha256", pub, "enc=pkcs1 hash=sha256", digest, 32, "sig-sha256.bin");
    verify("verify sha1", pub, "enc=pkcs1 hash=sha1", digest, 20, "sig-sha1.bin");
    verify("verify sha512", pub, "enc=pkcs1 hash=sha512", digest, 64, "sig-sha512.bin");
    verify("verify no hash", pub, "enc=pkcs1", digest, 32, "sig-none.bin");
    verify("verify hash none", pub, "enc=pkcs1 hash=none", digest, 32, "sig-none.bin");
    /* (the replaced key "named" is left out: Linux's garbage collector takes it at a moment of its own) */
    verify("verify replacing key", again, "enc=pkcs1 hash=sha256", digest, 32, "sig-sha256.bin");
    verify("verify as sha1", pub, "enc=pkcs1 hash=sha1", digest, 32, "sig-sha256.bin");
    verify("verify as sha1 20", pub, "enc=pkcs1 hash=sha1", digest, 20, "sig-sha256.bin");
    verify("verify as sha384", pub, "enc=pkcs1 hash=sha384", digest, 48, "sig-sha512.bin");
    verify("verify as none", pub, "enc=pkcs1", digest, 32, "sig-sha256.bin");
    verify("verify short digest", pub, "enc=pkcs1 hash=sha256", digest, 31, "sig-sha256.bin");
    verify("verify none short", pub, "enc=pkcs1", digest, 31, "sig-none.bin");
    verify("verify raw", pub, "enc=raw", digest, 32, "sig-sha256.bin");
    verify("verify no info", pub, "", digest, 32, "sig-sha256.bin");
    digest[5] ^= 1;
    verify("verify other digest", pub, "enc=pkcs1 hash=sha256", digest, 32, "sig-sha256.bin");
    digest[5] ^= 1;
    size_t n = slurp("sig-sha256.bin", sig, sizeof sig);
    show("verify short signature", op(PKEY_VERIFY, pub, "enc=pkcs1 hash=sha256", digest, 32, sig, n - 1));
    show("verify long signature", op(PKEY_VERIFY, pub, "enc=pkcs1 hash=sha256", digest, 32, sig, n + 1));
    sig[100] ^= 1;
    show("verify bad signature", op(PKEY_VERIFY, pub, "enc=pkcs1 hash=sha256", digest, 32, sig, n));
    sig[100] ^= 1;
    memset(sig, 0xff, 256);
    show("verify signature too big", op(PKEY_VERIFY, pub, "enc=pkcs1 hash=sha256", digest, 32, sig, n));
    memset(sig, 0, 256);
    show("verify zero signature", op(PKEY_VERIFY, pub, "enc=pkcs1 hash=sha256", digest, 32, sig, n));
    show("verify bad signature pointer", op(PKEY_VERIFY, pub, "enc=pkcs1 hash=sha256", digest, 32, (void *) 8, n));
    show("verify user key", op(PKEY_VERIFY, user, "enc=pkcs1 hash=sha256", digest, 32, sig, n));
    show("verify bad info", op(PKEY_VERIFY, pub, "what=1", digest, 32, sig, n));
    struct pkey_params p = {.key_id = pub, .in_len = 32, .out_len = 256, .spare = {0, 0, 1}};
    show("verify spare", keyctl(PKEY_VERIFY, (long) &p, (long) "enc=pkcs1 hash=sha256", (long) digest, (long) sig));
    show("verify bad params", keyctl(PKEY_VERIFY, 8, (long) "enc=pkcs1", (long) digest, (long) sig));
}

/*
 * The private key's part (this machine's Linux has no PKCS#8 parser loaded): run under jlx only,
 * its signature (sig-jlx.bin) and decryption of openssl's ct.bin checked against openssl.
 */
static void private(long user) {
    static unsigned char priv[8192], cert[8192];
    size_t privlen = slurp("key.der", priv, sizeof priv);
    size_t certlen = slurp("cert.der", cert, sizeof cert);
    long pub = addkey("asymmetric", NULL, cert, certlen, KEY_SPEC_SESSION_KEYRING);
    ok("truncated key", addkey("asymmetric", "x", priv, privlen / 2, KEY_SPEC_SESSION_KEYRING));
    ok("key without description", addkey("asymmetric", NULL, priv, privlen, KEY_SPEC_SESSION_KEYRING));
    long sec = addkey("asymmetric", "private", priv, privlen, KEY_SPEC_SESSION_KEYRING);
    ok("key", sec);
    describe("key describe", sec);
    char buf[64];
    ok("read key", keyctl(READ, sec, (long) buf, sizeof buf, 0));
    query("query key", sec, "enc=pkcs1 hash=sha256");
    query("query key", sec, "enc=raw");
    query("query user key", user, "");

    const char *pk = "enc=pkcs1";
    unsigned char msg[32], ct[512], pt[512], sig[512], digest[64];
    for (int i = 0; i < 32; i++) {
        msg[i] = i * 7 + 1;
    }
    long n = op(PKEY_ENCRYPT, pub, pk, msg, 32, ct, 256);
    show("encrypt with cert", n);
    long m = op(PKEY_DECRYPT, sec, pk, ct, n, pt, 256);
    show("decrypt with key", m);
    printf("plaintext back: %s\n", m == 32 && memcmp(pt, msg, 32) == 0 ? "yes" : "no");
    n = op(PKEY_ENCRYPT, sec, pk, msg, 32, ct, 256);
    m = op(PKEY_DECRYPT, sec, pk, ct, n, pt, 256);
    printf("plaintext back from own: %s\n", m == 32 && memcmp(pt, msg, 32) == 0 ? "yes" : "no");
    show("decrypt short out", op(PKEY_DECRYPT, sec, pk, ct, n, pt, 31));
    n = slurp("ct.bin", ct, sizeof ct);
    m = op(PKEY_DECRYPT, sec, pk, ct, n, pt, 256);
    show("decrypt openssl's", m);
    printf("openssl's plaintext: %.*s\n", m > 0 ? (int) m : 0, pt);
    show("decrypt short", op(PKEY_DECRYPT, sec, pk, ct, 32, pt, 256));
    memset(ct, 0, 256);
    ct[255] = 5;
    show("decrypt unpadded", op(PKEY_DECRYPT, sec, pk, ct, 256, pt, 256));
    n = op(PKEY_ENCRYPT, sec, "enc=raw", msg, 32, ct, 256);
    m = op(PKEY_DECRYPT, sec, "enc=raw", ct, n, pt, 256);
    printf("raw back: %ld %ld %s\n", n, m, m == 256 && memcmp(pt + 224, msg, 32) == 0 ? "yes" : "no");

    const char *sh = "enc=pkcs1 hash=sha256";
    for (int i = 0; i < 64; i++) {
        digest[i] = 0x40 + i;
    }
    n = op(PKEY_SIGN, sec, sh, digest, 32, sig, 256);
    show("sign", n);
    FILE *f = fopen("sig-jlx.bin", "wb");
    fwrite(sig, 1, n > 0 ? n : 0, f);
    fclose(f);
    show("verify with cert", op(PKEY_VERIFY, pub, sh, digest, 32, sig, n));
    show("verify with key", op(PKEY_VERIFY, sec, sh, digest, 32, sig, n));
    digest[0] ^= 1;
    show("verify other digest", op(PKEY_VERIFY, pub, sh, digest, 32, sig, n));
    digest[0] ^= 1;
    show("sign short digest", op(PKEY_SIGN, sec, sh, digest, 31, sig, 256));
    show("sign short out", op(PKEY_SIGN, sec, sh, digest, 32, sig, 100));
    show("sign raw", op(PKEY_SIGN, sec, "enc=raw", digest, 32, sig, 256));
    n = op(PKEY_SIGN, sec, "enc=pkcs1 hash=sha512", digest, 64, sig, 256);
    show("sign sha512", n);
    show("verify sha512", op(PKEY_VERIFY, pub, "enc=pkcs1 hash=sha512", digest, 64, sig, n));
    n = op(PKEY_SIGN, sec, "enc=pkcs1", digest, 32, sig, 256);
    show("sign without hash", n);
    show("verify without hash", op(PKEY_VERIFY, pub, "enc=pkcs1", digest, 32, sig, n));
    show("sign too long", op(PKEY_SIGN, sec, "enc=pkcs1", sig, 246, sig, 256));
    show("sign bad out", op(PKEY_SIGN, sec, sh, digest, 32, (void *) 8, 256));
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    show("join", keyctl(JOIN_SESSION_KEYRING, 0, 0, 0, 0) > 0 ? 0 : -1);
    long user = addkey("user", "u", "payload", 7, KEY_SPEC_SESSION_KEYRING);
    if (argc > 1 && strcmp(argv[1], "private") == 0) {
        private(user);
        return 0;
    }
    public(user);
    unsigned char caps[4] = {0};
    show("capabilities", keyctl(CAPABILITIES, (long) caps, sizeof caps, 0, 0));
    printf("caps: %02x %02x %02x %02x\n", caps[0], caps[1], caps[2], caps[3]);
    return 0;
}
