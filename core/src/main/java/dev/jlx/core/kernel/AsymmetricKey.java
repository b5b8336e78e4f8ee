package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * The payload of an "asymmetric" key (crypto/asymmetric_keys): an RSA public key from a DER X.509
 * certificate, or an RSA private key from a DER PKCS#8 blob, as x509_key_parser and
 * pkcs8_key_parser take them. The JDK parses them; the RSA primitive is BigInteger's so that the
 * PKCS#1 v1.5 padding checks give Linux's errors (rsa-pkcs1pad.c, rsassa-pkcs1.c) in its order.
 */
public final class AsymmetricKey {
    public static final int SUPPORTS_ENCRYPT = 0x01;
    public static final int SUPPORTS_DECRYPT = 0x02;
    public static final int SUPPORTS_SIGN = 0x04;
    public static final int SUPPORTS_VERIFY = 0x08;

    /** "X509" or "PKCS8" (public_key's id_type). */
    public final String idType;
    /** The description x509_key_preparse proposes ("subject: skid-hex"); null for PKCS#8. */
    public final String proposedDescription;
    private final BigInteger n;
    private final BigInteger e;
    /** The private exponent, null for a public key. */
    private final BigInteger d;
    /** The modulus's size in bytes (the RSA maxsize). */
    private final int size;

    private AsymmetricKey(String idType, String description, BigInteger n, BigInteger e, BigInteger d) {
        this.idType = idType;
        this.proposedDescription = description;
        this.n = n;
        this.e = e;
        this.d = d;
        this.size = (n.bitLength() + 7) / 8;
    }

    /** asymmetric_key_preparse: EINVAL for no data, each parser in turn, EBADMSG when none knows it. */
    public static AsymmetricKey parse(byte[] data) throws ErrnoException {
        if (data == null || data.length == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        // Linux's ASN.1 decoders take one whole DER element; the JDK would also take PEM and trailers.
        if (!wholeElement(data)) {
            throw new ErrnoException(Errno.EBADMSG);
        }
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(data));
        } catch (CertificateException | RuntimeException notCertificate) {
            cert = null;
        }
        if (cert != null) {
            PublicKey key = cert.getPublicKey();
            if (!(key instanceof RSAPublicKey rsa)) {
                // x509_cert_parse's answer for a key algorithm it has no code for; jlx has only RSA.
                throw new ErrnoException(Errno.ENOPKG);
            }
            byte[] skid = skid(cert);
            byte[] id = skid != null ? skid : cert.getSerialNumber().toByteArray();
            String description = subject(cert.getSubjectX500Principal().getEncoded()) + ": " + HexFormat.of().formatHex(id);
            return new AsymmetricKey("X509", description, rsa.getModulus(), rsa.getPublicExponent(), null);
        }
        try {
            var key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(data));
            if (key instanceof RSAPrivateCrtKey rsa) {
                return new AsymmetricKey("PKCS8", null, rsa.getModulus(), rsa.getPublicExponent(), rsa.getPrivateExponent());
            }
        } catch (java.security.GeneralSecurityException | RuntimeException notPkcs8) {
            // Neither parser knows it.
        }
        throw new ErrnoException(Errno.EBADMSG);
    }

    public boolean isPrivate() {
        return d != null;
    }

    /** The certificate's subject key identifier, or null. */
    private static byte[] skid(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue("2.5.29.14");
        if (ext == null) {
            return null;
        }
        // An OCTET STRING holding the extension's DER: an OCTET STRING of the key id.
        int[] outer = tlv(ext, 0);
        int[] inner = tlv(ext, outer[1]);
        return inner == null ? null : Arrays.copyOfRange(ext, inner[1], inner[2]);
    }

    /** {tag, content start, content end} of the DER element at {@code off}, or null when malformed. */
    private static int[] tlv(byte[] b, int off) {
        if (off + 2 > b.length) {
            return null;
        }
        int tag = b[off] & 0xff;
        int len = b[off + 1] & 0xff;
        int p = off + 2;
        if (len >= 0x80) {
            int count = len & 0x7f;
            if (count == 0 || count > 3 || p + count > b.length) {
                return null;
            }
            len = 0;
            for (int i = 0; i < count; i++) {
                len = len << 8 | b[p++] & 0xff;
            }
        }
        return p + len > b.length ? null : new int[] {tag, p, p + len};
    }

    private static boolean wholeElement(byte[] b) {
        int[] t = tlv(b, 0);
        return t != null && t[0] == 0x30 && t[2] == b.length;
    }

    private static final String OID_CN = "550403";
    private static final String OID_O = "55040a";
    private static final String OID_EMAIL = "2a864886f70d010901";

    /**
     * x509_fabricate_name: the last CN, O and email of the subject; the CN alone when it starts with
     * the O (or with the O's first 7 bytes), else "O: CN"; the CN, else the O, else the email.
     */
    private static String subject(byte[] name) {
        byte[][] found = new byte[3][];
        int[] seq = tlv(name, 0);
        for (int set = seq == null ? name.length : seq[1]; set < name.length; ) {
            int[] s = tlv(name, set);
            if (s == null) {
                break;
            }
            for (int atv = s[1]; atv < s[2]; ) {
                int[] a = tlv(name, atv);
                int[] oid = a == null ? null : tlv(name, a[1]);
                int[] value = oid == null ? null : tlv(name, oid[2]);
                if (value == null) {
                    break;
                }
                String o = HexFormat.of().formatHex(name, oid[1], oid[2]);
                int which = o.equals(OID_CN) ? 0 : o.equals(OID_O) ? 1 : o.equals(OID_EMAIL) ? 2 : -1;
                if (which >= 0) {
                    found[which] = Arrays.copyOfRange(name, value[1], value[2]);
                }
                atv = a[2];
            }
            set = s[2];
        }
        byte[] cn = found[0];
        byte[] o = found[1];
        byte[] chosen;
        if (cn != null && o != null) {
            boolean prefixed = cn.length >= o.length && Arrays.equals(cn, 0, o.length, o, 0, o.length)
                    || cn.length >= 7 && o.length >= 7 && Arrays.equals(cn, 0, 7, o, 0, 7);
            if (!prefixed) {
                return latin1(o) + ": " + latin1(cn);
            }
            chosen = cn;
        } else {
            chosen = cn != null ? cn : o != null ? o : found[2] != null ? found[2] : new byte[0];
        }
        return latin1(chosen);
    }

    private static String latin1(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The DigestInfo prefixes rsassa-pkcs1 knows, by hash name ("none" has none). */
    private static final Map<String, byte[]> PREFIXES = Map.ofEntries(
            Map.entry("none", new byte[0]),
            Map.entry("md5", digestInfo(16, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05)),
            Map.entry("sha1", digestInfo(20, 0x2b, 0x0e, 0x03, 0x02, 0x1a)),
            Map.entry("rmd160", digestInfo(20, 0x2b, 0x24, 0x03, 0x02, 0x01)),
            Map.entry("sha224", digestInfo(28, nist(4))),
            Map.entry("sha256", digestInfo(32, nist(1))),
            Map.entry("sha384", digestInfo(48, nist(2))),
            Map.entry("sha512", digestInfo(64, nist(3))),
            Map.entry("sha3-256", digestInfo(32, nist(8))),
            Map.entry("sha3-384", digestInfo(48, nist(9))),
            Map.entry("sha3-512", digestInfo(64, nist(10))));

    /** The OID 2.16.840.1.101.3.4.2.{@code last} of a NIST hash. */
    private static int[] nist(int last) {
        return new int[] {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, last};
    }

    /** SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING of {@code hashLength} } up to the digest. */
    private static byte[] digestInfo(int hashLength, int... oid) {
        byte[] b = new byte[oid.length + 10];
        int[] head = {0x30, oid.length + 8 + hashLength, 0x30, oid.length + 4, 0x06, oid.length};
        for (int i = 0; i < head.length; i++) {
            b[i] = (byte) head[i];
        }
        for (int i = 0; i < oid.length; i++) {
            b[6 + i] = (byte) oid[i];
        }
        b[6 + oid.length] = 0x05;
        b[8 + oid.length] = 0x04;
        b[9 + oid.length] = (byte) hashLength;
        return b;
    }

    /** What KEYCTL_PKEY_QUERY reports (struct kernel_pkey_query). */
    public record Query(int supportedOps, int keySize, int maxData, int maxSig, int maxEnc, int maxDec) {}

    /**
     * software_key_determine_akcipher: "pkcs1" is a signature scheme for sign and verify (a hash
     * name rsassa-pkcs1 knows, else EINVAL as its template refuses) and padding for encryption;
     * "raw" takes no hash; any other encoding is EINVAL. Returns whether it is a signature.
     */
    private static boolean signature(String encoding, String hash, boolean signOp) throws ErrnoException {
        if (encoding.equals("pkcs1")) {
            if (signOp && !PREFIXES.containsKey(hash == null ? "none" : hash)) {
                throw new ErrnoException(Errno.EINVAL);
            }
            return signOp;
        }
        if (!encoding.equals("raw") || hash != null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return false;
    }

    /** software_key_query: as for a signature with "pkcs1", else the bare RSA cipher's sizes. */
    public Query query(String encoding, String hash) throws ErrnoException {
        int priv = isPrivate() ? 1 : 0;
        if (signature(encoding, hash, true)) {
            int ops = SUPPORTS_VERIFY | SUPPORTS_ENCRYPT | priv * (SUPPORTS_SIGN | SUPPORTS_DECRYPT);
            return new Query(ops, size * 8, size, size, size, size);
        }
        return new Query(SUPPORTS_ENCRYPT | priv * SUPPORTS_DECRYPT, size * 8, size, size, size, size);
    }

    /** The big-endian bytes of {@code v} without leading zeros (what mpi_write_to_sgl writes). */
    private static byte[] minimal(BigInteger v) {
        byte[] b = v.toByteArray();
        int i = 0;
        while (i < b.length - 1 && b[i] == 0) {
            i++;
        }
        return v.signum() == 0 ? new byte[0] : Arrays.copyOfRange(b, i, b.length);
    }

    private byte[] padded(BigInteger v) {
        byte[] m = minimal(v);
        byte[] out = new byte[size];
        System.arraycopy(m, 0, out, size - m.length, m.length);
        return out;
    }

    /** rsa_check_payload (SP 800-56B): EINVAL unless 1 < value < n - 1. */
    private BigInteger payload(byte[] in) throws ErrnoException {
        BigInteger v = new BigInteger(1, in);
        if (v.compareTo(BigInteger.ONE) <= 0 || v.compareTo(n.subtract(BigInteger.ONE)) >= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return v;
    }

    /** rsa_enc. */
    private BigInteger publicOp(byte[] in) throws ErrnoException {
        return payload(in).modPow(e, n);
    }

    /** rsa_dec: EINVAL without a private exponent. */
    private BigInteger privateOp(byte[] in) throws ErrnoException {
        if (d == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return payload(in).modPow(d, n);
    }

    /** KEYCTL_PKEY_ENCRYPT: EME-PKCS1-v1_5 (EOVERFLOW past k-11 bytes or for a short buffer) or raw RSA. */
    public byte[] encrypt(String encoding, String hash, byte[] in, int outLength) throws ErrnoException {
        signature(encoding, hash, false);
        if (encoding.equals("raw")) {
            if (outLength < size) {
                throw new ErrnoException(Errno.EOVERFLOW);
            }
            return padded(publicOp(in));
        }
        if (in.length > size - 11 || outLength < size) {
            throw new ErrnoException(Errno.EOVERFLOW);
        }
        byte[] em = new byte[size - 1];
        em[0] = 0x02;
        SecureRandom random = new SecureRandom();
        for (int i = 1; i < size - 2 - in.length; i++) {
            byte r;
            do {
                r = (byte) random.nextInt(256);
            } while (r == 0);
            em[i] = r;
        }
        System.arraycopy(in, 0, em, em.length - in.length, in.length);
        return padded(publicOp(em));
    }

    /** KEYCTL_PKEY_DECRYPT: pkcs1pad_decrypt's checks (EINVAL, EBADMSG, EOVERFLOW), or raw RSA. */
    public byte[] decrypt(String encoding, String hash, byte[] in, int outLength) throws ErrnoException {
        signature(encoding, hash, false);
        if (encoding.equals("raw")) {
            if (outLength < size) {
                throw new ErrnoException(Errno.EOVERFLOW);
            }
            return padded(privateOp(in));
        }
        if (in.length != size) {
            throw new ErrnoException(Errno.EINVAL);
        }
        byte[] m = minimal(privateOp(in));
        if (m.length != size - 1) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (m[0] != 0x02) {
            throw new ErrnoException(Errno.EBADMSG);
        }
        int pos = 1;
        while (pos < m.length && m[pos] != 0) {
            pos++;
        }
        if (pos < 9 || pos == m.length) {
            throw new ErrnoException(Errno.EBADMSG);
        }
        pos++;
        if (outLength < m.length - pos) {
            throw new ErrnoException(Errno.EOVERFLOW);
        }
        return Arrays.copyOfRange(m, pos, m.length);
    }

    private static boolean badHashLength(int length, byte[] prefix) {
        return prefix.length != 0 && length != (prefix[prefix.length - 1] & 0xff);
    }

    /** KEYCTL_PKEY_SIGN: rsassa_pkcs1_sign over a digest (EOVERFLOW, EINVAL as it checks). */
    public byte[] sign(String encoding, String hash, byte[] digest, int outLength) throws ErrnoException {
        if (!signature(encoding, hash, true)) {
            // The bare RSA cipher has no signing operation: software_key_eds_op's default.
            throw new ErrnoException(Errno.EINVAL);
        }
        byte[] prefix = PREFIXES.get(hash == null ? "none" : hash);
        if (outLength < size) {
            throw new ErrnoException(Errno.EOVERFLOW);
        }
        if (badHashLength(digest.length, prefix)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (digest.length + prefix.length > size - 11) {
            throw new ErrnoException(Errno.EOVERFLOW);
        }
        byte[] em = new byte[size - 1];
        int padEnd = em.length - digest.length - prefix.length - 1;
        em[0] = 0x01;
        Arrays.fill(em, 1, padEnd, (byte) 0xff);
        System.arraycopy(prefix, 0, em, padEnd + 1, prefix.length);
        System.arraycopy(digest, 0, em, padEnd + 1 + prefix.length, digest.length);
        return padded(privateOp(em));
    }

    /**
     * KEYCTL_PKEY_VERIFY: rsassa_pkcs1_verify (EINVAL, EBADMSG, EKEYREJECTED for another digest);
     * with "raw", public_key_verify_signature finds no signature algorithm "rsa" (ENOENT).
     */
    public void verify(String encoding, String hash, byte[] digest, byte[] sig) throws ErrnoException {
        if (!signature(encoding, hash, true)) {
            throw new ErrnoException(Errno.ENOENT);
        }
        byte[] prefix = PREFIXES.get(hash == null ? "none" : hash);
        if (sig.length != size || badHashLength(digest.length, prefix)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        byte[] m = minimal(publicOp(sig));
        if (m.length != size - 1) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (m[0] != 0x01) {
            throw new ErrnoException(Errno.EBADMSG);
        }
        int pos = 1;
        while (pos < m.length && m[pos] == (byte) 0xff) {
            pos++;
        }
        if (pos < 9 || pos == m.length || m[pos] != 0) {
            throw new ErrnoException(Errno.EBADMSG);
        }
        pos++;
        if (prefix.length > m.length - pos || !Arrays.equals(m, pos, pos + prefix.length, prefix, 0, prefix.length)) {
            throw new ErrnoException(Errno.EBADMSG);
        }
        pos += prefix.length;
        if (digest.length != m.length - pos || !Arrays.equals(m, pos, m.length, digest, 0, digest.length)) {
            throw new ErrnoException(Errno.EKEYREJECTED);
        }
    }
}
