package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** C programs built with gcc -static, gcc -static-pie and musl-gcc -static: identical to native runs. */
class StaticCProgramsTest {
    @TempDir
    Path dir;

    /** Compiles every program with every toolchain up front: a compiler error fails here, once. */
    @BeforeAll
    static void compile() throws Exception {
        CPrograms.compileAll();
    }

    static Stream<Arguments> programs() {
        List<Arguments> cases = new ArrayList<>();
        for (CPrograms.Toolchain t : CPrograms.TOOLCHAINS) {
            cases.add(Arguments.of("floats", t, List.of()));
            cases.add(Arguments.of("x87", t, List.of()));
            cases.add(Arguments.of("bigmalloc", t, List.of()));
            cases.add(Arguments.of("auxv", t, List.of()));
            cases.add(Arguments.of("args", t, List.of("one", "two words", "", "ünïcode")));
            cases.add(Arguments.of("errors", t, List.of("3")));
            cases.add(Arguments.of("errors", t, List.of("255")));
            cases.add(Arguments.of("errors", t, List.of("main")));
            cases.add(Arguments.of("errors", t, List.of()));
            cases.add(Arguments.of("stdio", t, List.of()));
            cases.add(Arguments.of("mmap", t, List.of()));
            cases.add(Arguments.of("sharedmap", t, List.of()));
            cases.add(Arguments.of("usage", t, List.of()));
            cases.add(Arguments.of("pipes", t, List.of()));
            cases.add(Arguments.of("pipepieces", t, List.of()));
            cases.add(Arguments.of("forks", t, List.of()));
            cases.add(Arguments.of("threads", t, List.of()));
            cases.add(Arguments.of("preempt", t, List.of()));
            cases.add(Arguments.of("sharedfutex", t, List.of()));
            cases.add(Arguments.of("rseq", t, List.of()));
            cases.add(Arguments.of("exitblocked", t, List.of()));
            cases.add(Arguments.of("faultrip", t, List.of()));
            cases.add(Arguments.of("epollclose", t, List.of()));
            cases.add(Arguments.of("fdstress", t, List.of()));
            cases.add(Arguments.of("jobs", t, List.of()));
            cases.add(Arguments.of("pty", t, List.of()));
            cases.add(Arguments.of("ptyjobs", t, List.of()));
            cases.add(Arguments.of("truncmap", t, List.of()));
            cases.add(Arguments.of("faults", t, List.of()));
            cases.add(Arguments.of("epoll", t, List.of()));
            cases.add(Arguments.of("pollwake", t, List.of()));
            cases.add(Arguments.of("sockets", t, List.of()));
            cases.add(Arguments.of("netlinks", t, List.of()));
            cases.add(Arguments.of("sockopts", t, List.of()));
            cases.add(Arguments.of("inet", t, List.of()));
            cases.add(Arguments.of("inetmore", t, List.of()));
            cases.add(Arguments.of("statx", t, List.of()));
            cases.add(Arguments.of("copies", t, List.of()));
            cases.add(Arguments.of("locks", t, List.of()));
            cases.add(Arguments.of("limits", t, List.of()));
            cases.add(Arguments.of("signals", t, List.of()));
            cases.add(Arguments.of("signals", t, List.of("abort")));
            cases.add(Arguments.of("signals", t, List.of("segv")));
            cases.add(Arguments.of("prctl", t, List.of()));
            cases.add(Arguments.of("caps", t, List.of()));
            cases.add(Arguments.of("fixedcalls", t, List.of()));
            cases.add(Arguments.of("numa", t, List.of()));
            cases.add(Arguments.of("pdeathsig", t, List.of()));
            cases.add(Arguments.of("threadsignals", t, List.of()));
            cases.add(Arguments.of("execthread", t, List.of("join")));
            cases.add(Arguments.of("execthread", t, List.of("pause")));
            cases.add(Arguments.of("execthread", t, List.of("loop")));
            cases.add(Arguments.of("cputime", t, List.of()));
            cases.add(Arguments.of("posixtimers", t, List.of()));
            cases.add(Arguments.of("timerfd", t, List.of()));
            cases.add(Arguments.of("fileowner", t, List.of()));
            cases.add(Arguments.of("vectors", t, List.of()));
            cases.add(Arguments.of("memfd", t, List.of()));
            cases.add(Arguments.of("persona", t, List.of()));
            cases.add(Arguments.of("sched", t, List.of()));
            cases.add(Arguments.of("protnone", t, List.of()));
            cases.add(Arguments.of("protnone", t, List.of("many")));
            cases.add(Arguments.of("inotify", t, List.of()));
            cases.add(Arguments.of("fanotify", t, List.of()));
            cases.add(Arguments.of("textbusy", t, List.of()));
            cases.add(Arguments.of("sysvshm", t, List.of()));
            cases.add(Arguments.of("sysvsem", t, List.of()));
            cases.add(Arguments.of("sysvmsg", t, List.of()));
            cases.add(Arguments.of("mqueue", t, List.of()));
            cases.add(Arguments.of("sigqueue", t, List.of()));
            cases.add(Arguments.of("pidfd", t, List.of()));
            cases.add(Arguments.of("ptrace", t, List.of()));
            cases.add(Arguments.of("ptrace2", t, List.of()));
            cases.add(Arguments.of("mlock", t, List.of()));
            cases.add(Arguments.of("misccalls", t, List.of()));
            cases.add(Arguments.of("unmapped", t, List.of()));
            cases.add(Arguments.of("openat2", t, List.of()));
            cases.add(Arguments.of("procvm", t, List.of()));
            cases.add(Arguments.of("kcmp", t, List.of()));
            cases.add(Arguments.of("misccalls2", t, List.of()));
            cases.add(Arguments.of("remaps", t, List.of()));
            cases.add(Arguments.of("sleeps", t, List.of()));
            cases.add(Arguments.of("dirents", t, List.of()));
            cases.add(Arguments.of("dnotify", t, List.of()));
            cases.add(Arguments.of("robust", t, List.of()));
            cases.add(Arguments.of("x87nest", t, List.of()));
            cases.add(Arguments.of("lsm", t, List.of()));
            cases.add(Arguments.of("clockset", t, List.of()));
            cases.add(Arguments.of("aio", t, List.of()));
            cases.add(Arguments.of("keys", t, List.of()));
            cases.add(Arguments.of("leases", t, List.of()));
            cases.add(Arguments.of("misccalls3", t, List.of()));
            cases.add(Arguments.of("landlock", t, List.of()));
            cases.add(Arguments.of("futexpi", t, List.of()));
            cases.add(Arguments.of("handles", t, List.of()));
            cases.add(Arguments.of("peekoff", t, List.of()));
            cases.add(Arguments.of("peekoff", t, List.of("inet")));
            cases.add(Arguments.of("uffd", t, List.of()));
            cases.add(Arguments.of("uffd", t, List.of("register")));
            cases.add(Arguments.of("sysadm", t, List.of("restart")));
            cases.add(Arguments.of("sysadm", t, List.of("halt")));
            cases.add(Arguments.of("quotas", t, List.of()));
            cases.add(Arguments.of("acct", t, List.of()));
            cases.add(Arguments.of("userdispatch", t, List.of()));
            cases.add(Arguments.of("cpuidfault", t, List.of()));
            cases.add(Arguments.of("iouring", t, List.of()));
        }
        // -Djlx.programs=a,b runs only those programs' cases (one family's tests on a busy machine).
        List<String> only = List.of(System.getProperty("jlx.programs", "").split(","));
        return cases.stream().filter(a -> only.equals(List.of("")) || only.contains((String) a.get()[0]));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("programs")
    void sameAsNative(String name, CPrograms.Toolchain toolchain, List<String> args) throws Throwable {
        List<String> argv = new ArrayList<>();
        argv.add(CPrograms.binary(name, toolchain).toString());
        argv.addAll(args);
        byte[] stdin = "first line\nsecond line\n\u00ff\u0000binary\n".getBytes(StandardCharsets.ISO_8859_1);
        String caseName = String.join(" ", name, toolchain.name(), String.join(" ", args)).strip();
        KnownFailures.check("StaticCProgramsTest", caseName, () -> Runner.assertSameAsNative(argv, dir, stdin));
    }

    @ParameterizedTest(name = "files {0}")
    @MethodSource("toolchains")
    void fileIoInADirectory(CPrograms.Toolchain toolchain) throws Exception {
        Runner.assertSameAsNative(List.of(CPrograms.binary("files", toolchain).toString(), dir.toString()), dir,
                new byte[0]);
    }

    /** Many and long arguments, and an environment with empty values, '=' in values and UTF-8. */
    @ParameterizedTest(name = "args and environment {0}")
    @MethodSource("toolchains")
    void manyArgumentsAndAnUnusualEnvironment(CPrograms.Toolchain toolchain) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add(CPrograms.binary("args", toolchain).toString());
        for (int i = 0; i < 2000; i++) {
            argv.add(i % 100 == 0 ? "x".repeat(5000) : "arg" + i);
        }
        Map<String, String> env = new LinkedHashMap<>(Runner.ENV);
        env.put("EMPTY", "");
        env.put("EQUALS", "a=b=c");
        env.put("UTF8", "h\u00e9llo w\u00f6rld \u2603");
        env.put("SPACES", "  two  spaces  ");
        env.put("LONG", "y".repeat(100_000));
        Runner.assertSameAsNative(argv, env, dir, new byte[0]);
    }

    /** Several MiB through stdin and stdout: partial reads and writes of pipes and streams. */
    @ParameterizedTest(name = "big stdin {0}")
    @MethodSource("toolchains")
    void megabytesThroughStdio(CPrograms.Toolchain toolchain) throws Exception {
        byte[] input = new byte[5 << 20];
        new Random(42).nextBytes(input);
        Runner.assertSameAsNative(List.of(CPrograms.binary("stdio", toolchain).toString()), dir, input);
    }

    /**
     * Eight threads opening, duplicating, piping, mapping and closing on one descriptor table, 20
     * runs in a row: a race in a kernel object shows in some runs only (docs/design.md, Concurrency).
     * The races are core's, the same on every backend: the other profiles run it 4 times.
     */
    @ParameterizedTest(name = "fdstress runs {0}")
    @EnumSource(value = CPrograms.Toolchain.class, names = {"GCC", "MUSL"})
    void descriptorStressTwentyTimes(CPrograms.Toolchain toolchain) throws Exception {
        List<String> argv = List.of(CPrograms.binary("fdstress", toolchain).toString());
        Result expected = Native.run(argv, Runner.ENV, dir, new byte[0]);
        List<String> failed = new ArrayList<>();
        int runs = Jlx.BACKEND == null ? 20 : 4;
        for (int run = 1; run <= runs; run++) {
            try {
                Result.assertSameAs(expected, Jlx.run(argv, Runner.ENV, dir, new byte[0]), "fdstress run " + run);
            } catch (AssertionError e) {
                failed.add(e.getMessage());
            }
        }
        assertEquals(List.of(), failed, failed.size() + " of " + runs + " runs differ from native");
    }

    /** bytenames.c in a host directory: names of every byte, not UTF-8, NFC beside NFD, as native. */
    @ParameterizedTest(name = "bytenames on hostfs {0}")
    @MethodSource("toolchains")
    void byteNamesOnHostfs(CPrograms.Toolchain toolchain) throws Throwable {
        List<String> argv = List.of(CPrograms.binary("bytenames", toolchain).toString());
        Path nativeDir = Files.createDirectory(dir.resolve("native"));
        Path jlxDir = Files.createDirectory(dir.resolve("jlx"));
        Result expected = Native.run(argv, Runner.ENV, nativeDir, new byte[0]);
        Result actual = Jlx.run(argv, Runner.ENV, jlxDir, new byte[0]);
        KnownFailures.check("StaticCProgramsTest", "bytenames " + toolchain,
                () -> Result.assertSameAs(expected, actual, "bytenames " + toolchain));
    }

    /** bytenames.c on jlx's tmpfs against Linux's (/dev/shm). */
    @ParameterizedTest(name = "bytenames on tmpfs {0}")
    @MethodSource("toolchains")
    void byteNamesOnTmpfs(CPrograms.Toolchain toolchain) throws Exception {
        List<String> argv = List.of(CPrograms.binary("bytenames", toolchain).toString());
        long pid = ProcessHandle.current().pid();
        Path shm = Files.createDirectories(Path.of("/dev/shm/jlx-bytenames-" + pid + "-" + toolchain));
        try {
            Result expected = Native.run(argv, Runner.ENV, shm, new byte[0]);
            String guest = "/dev/shm/jlx-guest-bytenames-" + pid;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Jlx.machine().env(Runner.ENV).tmpfs(guest).cwd(guest).build()
                    .run(argv, new ByteArrayInputStream(new byte[0]), out, err).shellStatus();
            Result.assertSameAs(expected, new Result(out.toByteArray(), err.toByteArray(), status),
                    "bytenames on tmpfs " + toolchain);
        } finally {
            Files.delete(shm);
        }
    }

    /**
     * dropids.c: root's children that give up root use root's files, on jlx's tmpfs, which checks
     * the calling thread's credentials itself (host directories are checked by the host against
     * jlx's own user: README, Quirks). Natively the program needs root.
     */
    @ParameterizedTest(name = "dropids {0}")
    @MethodSource("toolchains")
    void droppedIdsOnTmpfs(CPrograms.Toolchain toolchain) throws Exception {
        Assumptions.assumeTrue("0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream()
                .readAllBytes()).strip()), "dropping root needs root");
        onTmpfs("dropids", toolchain);
    }

    /**
     * The programs that also run with their working directory on jlx's tmpfs, against Linux's (/dev/shm).
     * renames runs here only: on a host directory it tests the host backend's renameat2, and the
     * in-process machine's backend here reports no RENAME_NOREPLACE/EXCHANGE capability (EINVAL).
     */
    static Stream<Arguments> tmpfsPrograms() {
        List<Arguments> cases = new ArrayList<>();
        for (CPrograms.Toolchain t : CPrograms.TOOLCHAINS) {
            for (String name : List.of("inotify", "fanotify", "openat2", "renames", "dirents", "dnotify", "aio", "leases",
                    "misccalls3", "landlock", "handles", "textbusy", "iouring")) {
                cases.add(Arguments.of(name, t));
            }
        }
        return cases.stream();
    }

    /** A program on jlx's tmpfs against Linux's (/dev/shm): tmpfs's own operations, not the host's. */
    @ParameterizedTest(name = "{0} on tmpfs {1}")
    @MethodSource("tmpfsPrograms")
    void onTmpfs(String name, CPrograms.Toolchain toolchain) throws Exception {
        List<String> argv = List.of(CPrograms.binary(name, toolchain).toString());
        long pid = ProcessHandle.current().pid();
        Path shm = Files.createDirectories(Path.of("/dev/shm/jlx-" + name + "-" + pid + "-" + toolchain));
        try {
            Result expected = Native.run(argv, Runner.ENV, shm, new byte[0]);
            String guest = "/dev/shm/jlx-guest-" + name + "-" + pid;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Jlx.machine().env(Runner.ENV).tmpfs(guest).cwd(guest).build()
                    .run(argv, new ByteArrayInputStream(new byte[0]), out, err).shellStatus();
            Result.assertSameAs(expected, new Result(out.toByteArray(), err.toByteArray(), status),
                    name + " on tmpfs " + toolchain);
        } finally {
            Files.delete(shm);
        }
    }

    /**
     * mounts.c, which mounts below its working directory: natively as root in a mount namespace of
     * its own (the host's mounts untouched), under jlx on the run's own table; in a host directory
     * and on tmpfs (jlx's against Linux's /dev/shm).
     */
    @ParameterizedTest(name = "mounts {0}")
    @MethodSource("toolchains")
    void mountsSameAsNative(CPrograms.Toolchain toolchain) throws Exception {
        Assumptions.assumeTrue(Native.run(List.of("/usr/bin/unshare", "-m", "true"), Runner.ENV, dir, new byte[0])
                .status() == 0, "no mount namespace for the native run (needs root)");
        String program = CPrograms.binary("mounts", toolchain).toString();
        List<String> unshared = List.of("/usr/bin/unshare", "-m", "--propagation", "private", program);
        Path nativeDir = Files.createDirectory(dir.resolve("native"));
        Path jlxDir = Files.createDirectory(dir.resolve("jlx"));
        Result.assertSameAs(Native.run(unshared, Runner.ENV, nativeDir, new byte[0]),
                Jlx.run(List.of(program), Runner.ENV, jlxDir, new byte[0]), "mounts on hostfs " + toolchain);
        long pid = ProcessHandle.current().pid();
        Path shm = Files.createDirectories(Path.of("/dev/shm/jlx-mounts-" + pid + "-" + toolchain));
        try {
            Result expected = Native.run(unshared, Runner.ENV, shm, new byte[0]);
            String guest = "/dev/shm/jlx-guest-mounts-" + pid;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Jlx.machine().env(Runner.ENV).tmpfs(guest).cwd(guest).build()
                    .run(List.of(program), new ByteArrayInputStream(new byte[0]), out, err).shellStatus();
            Result.assertSameAs(expected, new Result(out.toByteArray(), err.toByteArray(), status),
                    "mounts on tmpfs " + toolchain);
        } finally {
            try (Stream<Path> left = Files.walk(shm)) {
                for (Path f : left.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    /**
     * namespaces.c, which makes and joins UTS, IPC and cgroup namespaces as root: natively inside
     * namespaces of its own of those kinds and a mount namespace (the host's names, IPC objects and
     * mounts untouched), under jlx in the run's.
     */
    @ParameterizedTest(name = "namespaces {0}")
    @MethodSource("toolchains")
    void namespacesSameAsNative(CPrograms.Toolchain toolchain) throws Exception {
        Assumptions.assumeTrue(Native.run(List.of("/usr/bin/unshare", "-u", "-i", "-C", "-m", "true"), Runner.ENV,
                dir, new byte[0]).status() == 0, "no namespaces for the native run (needs root)");
        String program = CPrograms.binary("namespaces", toolchain).toString();
        List<String> unshared = List.of("/usr/bin/unshare", "-u", "-i", "-C", "-m", "--propagation", "private",
                program);
        Result.assertSameAs(Native.run(unshared, Runner.ENV, dir, new byte[0]),
                Jlx.run(List.of(program), Runner.ENV, dir, new byte[0]), "namespaces " + toolchain);
    }

    /**
     * jlx only (natively it would step the host's clock): a guest with CAP_SYS_TIME sets the run's wall
     * clock, time zone and NTP values, and every guest process reads them back; the next run starts
     * from the host's clock again.
     */
    @ParameterizedTest(name = "clockset set {0}")
    @MethodSource("toolchains")
    void aGuestSetsItsRunsClock(CPrograms.Toolchain toolchain) throws Exception {
        String program = CPrograms.binary("clockset", toolchain).toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Jlx.machine().env(Runner.ENV).stdout(out).build().run(program, "set").shellStatus();
        assertEquals(0, status);
        assertEquals("""
                settimeofday 2001-09-09: 0
                gettimeofday reads it: ok
                time reads it: ok
                CLOCK_REALTIME reads it: ok
                CLOCK_REALTIME_COARSE reads it: ok
                CLOCK_MONOTONIC did not jump: ok
                a child reads it: ok
                clock_settime 2033-05-18: 0
                time reads it: ok
                adjtimex ADJ_SETOFFSET -1000000000 s: 1
                time moved back: ok
                settimeofday tz: 0
                gettimeofday reports the time zone: ok
                adjtimex set NTP values: 0
                adjtimex read back: state 0 status 0x1 freq 500 esterror 2000 constant 7 maxerror grown little
                CLOCK_TAI is 37 s ahead: ok
                """, out.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        Jlx.machine().stdout(again).build().run("/bin/busybox", "date", "+%Y");
        assertEquals(java.time.Year.now(java.time.ZoneOffset.UTC).toString() + "\n", again.toString(StandardCharsets.UTF_8));
    }

    /**
     * The files keysasym.c reads, made with openssl in {@code dir}: a self-signed RSA certificate and
     * its PKCS#8 key (DER), PKCS#1 v1.5 signatures of the digest bytes 0x40, 0x41, ... (sha256, sha1,
     * sha512, none) and a ciphertext of a known text under the certificate.
     */
    private void makeKeys() throws Exception {
        Files.write(dir.resolve("d64"), digest(64));
        Files.write(dir.resolve("d32"), digest(32));
        Files.write(dir.resolve("d20"), digest(20));
        Files.writeString(dir.resolve("text"), "secret from openssl");
        for (String command : List.of(
                "openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -subj /CN=jlx-test/O=jlx -days 3650",
                "openssl x509 -in cert.pem -outform DER -out cert.der",
                "openssl pkcs8 -topk8 -nocrypt -in key.pem -outform DER -out key.der",
                "openssl pkeyutl -sign -inkey key.pem -in d32 -pkeyopt digest:sha256 -out sig-sha256.bin",
                "openssl pkeyutl -sign -inkey key.pem -in d20 -pkeyopt digest:sha1 -out sig-sha1.bin",
                "openssl pkeyutl -sign -inkey key.pem -in d64 -pkeyopt digest:sha512 -out sig-sha512.bin",
                "openssl pkeyutl -sign -inkey key.pem -in d32 -out sig-none.bin",
                "openssl pkeyutl -encrypt -certin -inkey cert.pem -in text -out ct.bin")) {
            Process p = new ProcessBuilder(command.split(" ")).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), command + ": " + output);
        }
    }

    private static byte[] digest(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (0x40 + i);
        }
        return b;
    }

    /** Asymmetric keys from an X.509 certificate: parsing, queries, encryption and openssl's signatures verified. */
    @ParameterizedTest(name = "keysasym {0}")
    @MethodSource("toolchains")
    void asymmetricKeysSameAsNative(CPrograms.Toolchain toolchain) throws Exception {
        makeKeys();
        Runner.assertSameAsNative(List.of(CPrograms.binary("keysasym", toolchain).toString()), dir, new byte[0]);
    }

    /**
     * An asymmetric key from a PKCS#8 private key, which this machine's Linux refuses (EBADMSG: its
     * pkcs8_key_parser is not loaded), so jlx's run is checked against openssl instead: its
     * signature is openssl's byte for byte, it decrypts openssl's ciphertext, and the errors are
     * those of Linux's rsassa-pkcs1 and pkcs1pad code.
     */
    @ParameterizedTest(name = "keysasym private {0}")
    @MethodSource("toolchains")
    void asymmetricPrivateKeysAgainstOpenssl(CPrograms.Toolchain toolchain) throws Exception {
        makeKeys();
        Result r = Jlx.run(List.of(CPrograms.binary("keysasym", toolchain).toString(), "private"), Runner.ENV, dir,
                new byte[0]);
        assertEquals("""
                join: 0
                truncated key: EBADMSG
                key without description: EINVAL
                key: ok
                key describe: 32 "asymmetric;0;0;39010000;private"
                read key: EOPNOTSUPP
                query key [enc=pkcs1 hash=sha256]: 0 ops=0xf size=2048 data=256 sig=256 enc=256 dec=256 spare0=0
                query key [enc=raw]: 0 ops=0x3 size=2048 data=256 sig=256 enc=256 dec=256 spare0=0
                query user key []: EOPNOTSUPP
                encrypt with cert: 256
                decrypt with key: 32
                plaintext back: yes
                plaintext back from own: yes
                decrypt short out: 32
                decrypt openssl's: 19
                openssl's plaintext: secret from openssl
                decrypt short: EINVAL
                decrypt unpadded: EINVAL
                raw back: 256 256 yes
                sign: 256
                verify with cert: 0
                verify with key: 0
                verify other digest: EKEYREJECTED
                sign short digest: EINVAL
                sign short out: 256
                sign raw: EINVAL
                sign sha512: 256
                verify sha512: 0
                sign without hash: 256
                verify without hash: 0
                sign too long: EOVERFLOW
                sign bad out: EFAULT
                """, new String(r.stdout(), StandardCharsets.ISO_8859_1));
        assertEquals(0, r.status());
        org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(dir.resolve("sig-sha256.bin")),
                Files.readAllBytes(dir.resolve("sig-jlx.bin")), "jlx's signature is openssl's");
    }

    static Stream<CPrograms.Toolchain> toolchains() {
        return CPrograms.TOOLCHAINS.stream();
    }
}
