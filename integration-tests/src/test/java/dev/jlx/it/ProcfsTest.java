package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jlx's /proc and /sys: what a program learns about itself there agrees with the syscalls as it does
 * natively (procfs.c), and the tools that read them (cat, df, ls, nproc, uname) work.
 */
class ProcfsTest {
    /** A maps line: range, perms, offset, device, inode, then the name from column 73 when there is one. */
    private static final Pattern MAPS_LINE = Pattern.compile(
            "[0-9a-f]{8,16}-[0-9a-f]{8,16} [r-][w-][x-][ps] [0-9a-f]{8} [0-9a-f]{2}:[0-9a-f]{2} \\d+ (?: *(\\S.*))?");

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() throws Exception {
        CPrograms.compileAll();
    }

    static Stream<CPrograms.Toolchain> toolchains() {
        return CPrograms.TOOLCHAINS.stream();
    }

    @ParameterizedTest(name = "procfs {0}")
    @MethodSource("toolchains")
    void aProgramSeesItselfInProcAsNatively(CPrograms.Toolchain toolchain) throws Throwable {
        KnownFailures.check("ProcfsTest", "procfs " + toolchain, () -> Runner.assertSameAsNative(
                List.of(CPrograms.binary("procfs", toolchain).toString(), dir.toString()), dir, new byte[0]));
    }

    private Result jlx(String... argv) {
        return Jlx.run(List.of(argv), Runner.ENV, dir, new byte[0]);
    }

    @Test
    void catOfMapsParsesLineByLine() {
        Result r = jlx("/usr/bin/cat", "/proc/self/maps");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        for (String line : lines) {
            Matcher m = MAPS_LINE.matcher(line);
            assertTrue(m.matches(), line);
            if (m.group(1) != null) {
                assertEquals(73, m.start(1), "a name starts at column 73: " + line);
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(" [stack]") && l.contains(" rw-p ")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(" [heap]")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(" /usr/bin/cat") && l.contains("r-xp")), r.out());
    }

    /** The ELF loader maps each segment's file pages at their file offset and its bss as anonymous memory, as Linux. */
    @Test
    void anExecutablesSegmentsAreMappedAsNatively() throws Exception {
        List<String> argv = List.of("/bin/busybox", "cat", "/proc/self/maps");
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String expected = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), expected);
        Result r = jlx(argv.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        assertEquals(imageLines(expected), imageLines(r.out()));
    }

    /** The lines of busybox's own mappings and the one after them (its bss), without device and inode. */
    private static List<String> imageLines(String maps) {
        List<String> lines = maps.lines().toList();
        int last = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("/usr/bin/busybox")) {
                last = i;
            }
        }
        return lines.subList(0, last + 2).stream().map(l -> {
            String[] f = l.trim().split(" +");
            return f[0] + " " + f[1] + " " + f[2] + (f.length > 5 ? " " + f[5] : "");
        }).toList();
    }

    @Test
    void dfShowsTheGuestsMounts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Jlx.machine().env("PATH", "/usr/bin:/bin").tmpfs("/scratch").cwd("/")
                .stdin(new ByteArrayInputStream(new byte[0])).stdout(out).stderr(err).build()
                .run("/usr/bin/df", "-a", "--output=source,fstype,target").shellStatus();
        assertEquals(0, status, err.toString());
        List<List<String>> rows = out.toString().lines().map(l -> Arrays.asList(l.trim().split(" +"))).toList();
        assertEquals(List.of("Filesystem", "Type", "Mounted", "on"), rows.getFirst());
        assertTrue(rows.contains(List.of("proc", "proc", "/proc")), out.toString());
        assertTrue(rows.contains(List.of("sysfs", "sysfs", "/sys")), out.toString());
        assertTrue(rows.contains(List.of("tmpfs", "tmpfs", "/scratch")), out.toString());
        assertTrue(rows.stream().anyMatch(row -> row.getFirst().equals("/") && row.getLast().equals("/")),
                out.toString());
    }

    @Test
    void busyboxListsItsOwnDescriptors() {
        Result r = jlx("/bin/busybox", "ls", "/proc/self/fd");
        assertEquals("0\n1\n2\n3\n", r.out(), r.err());
    }

    /** The engine's CPU, as many times as the JVM has CPUs, with the flags of its Westmere model's CPUID. */
    @Test
    void cpuinfoDescribesTheEnginesCpu() {
        Result r = jlx("/usr/bin/cat", "/proc/cpuinfo");
        int cpus = Runtime.getRuntime().availableProcessors();
        List<String> flags = r.out().lines().filter(l -> l.startsWith("flags\t\t: ")).distinct().toList();
        assertEquals(cpus, r.out().lines().filter(l -> l.startsWith("processor\t: ")).count(), r.out());
        assertEquals(1, flags.size(), "every CPU has the same flags: " + flags);
        List<String> names = List.of(flags.getFirst().substring("flags\t\t: ".length()).split(" "));
        assertTrue(names.containsAll(List.of("fpu", "sse2", "ssse3", "sse4_1", "sse4_2", "popcnt", "lm")),
                names::toString);
        for (String absent : List.of("avx", "avx2", "xsave", "rdrand", "constant_tsc")) {
            assertFalse(names.contains(absent), absent + " in " + names);
        }
    }

    @Test
    void nprocCountsTheCpusJlxReports() {
        String cpus = Runtime.getRuntime().availableProcessors() + "\n";
        assertEquals(cpus, jlx("/usr/bin/nproc").out());
        assertEquals(cpus, jlx("/usr/bin/nproc", "--all").out());
        String online = jlx("/usr/bin/cat", "/sys/devices/system/cpu/online").out();
        assertEquals(cpus.equals("1\n") ? "0\n" : "0-" + (Runtime.getRuntime().availableProcessors() - 1) + "\n",
                online);
    }

    @Test
    void unameReleaseIsOsrelease() {
        String release = jlx("/bin/busybox", "uname", "-r").out();
        assertEquals("6.1.0-jlx\n", release);
        assertEquals(release, jlx("/usr/bin/cat", "/proc/sys/kernel/osrelease").out());
        assertTrue(jlx("/usr/bin/cat", "/proc/version").out().startsWith("Linux version 6.1.0-jlx "));
    }

    /** A guest root gets procfs and sysfs where it has /proc and /sys directories, as a system mounts them. */
    @Test
    void aRootWithProcAndSysDirectoriesGetsThem() throws Exception {
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("proc"));
        Files.createDirectories(dir.resolve("sys"));
        Files.copy(Path.of("/bin/busybox"), dir.resolve("bin/busybox"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Jlx.machine().root(dir).cwd("/").stdout(out).stderr(out).build()
                .run("/bin/busybox", "cat", "/proc/self/comm", "/proc/self/cmdline", "/sys/devices/system/cpu/present")
                .shellStatus();
        String present = Runtime.getRuntime().availableProcessors() == 1 ? "0"
                : "0-" + (Runtime.getRuntime().availableProcessors() - 1);
        assertEquals("busybox\n/bin/busybox\0cat\0/proc/self/comm\0/proc/self/cmdline\0"
                + "/sys/devices/system/cpu/present\0" + present + "\n", out.toString());
        assertEquals(0, status);
    }
}
