package dev.jlx.host.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code portable} profile binds no Linux-only function. Each profile runs {@link PortableWorkload}
 * in a fresh JVM (this one may have bound anything already) that logs every class it loads: the
 * Linux-only functions are declared only in {@link LinuxOnly}, and jnr-ffi can bind them only by
 * loading that interface, so its absence from the log shows they were never bound (nor memfd_create,
 * bound only by {@link MemfdPageFile}, which the backend's memory would load). The {@code posix}
 * profile's run, which must load it, shows that the log would tell.
 */
class PortableBindingTest {
    private static final String LINUX_ONLY = "dev.jlx.host.posix.LinuxOnly ";
    private static final String LIBC = "dev.jlx.host.posix.LibC ";
    /** Host memory's memfd page files, which bind memfd_create and fallocate (through FFM). */
    private static final String MEMFD = "dev.jlx.host.posix.MemfdPageFile ";

    private record Run(int status, String output, String classes) {}

    private static Run workload(String profile, Path dir) throws Exception {
        Path work = Files.createDirectory(dir.resolve(profile));
        Path log = dir.resolve(profile + ".classes");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Djnr.ffi.x86asm.enabled=false", "-Xlog:class+load=info:file=" + log,
                "-cp", System.getProperty("java.class.path"), PortableWorkload.class.getName(), profile,
                work.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), output, Files.readString(log));
    }

    @Test
    void portableBindsNoLinuxOnlyFunction(@TempDir Path dir) throws Exception {
        Run run = workload("portable", dir);
        assertEquals(0, run.status(), run.output());
        assertTrue(run.output().contains("workload done on portable"), run.output());
        assertTrue(run.classes().contains(LIBC), "the log shows the bindings the workload loaded");
        assertFalse(run.classes().contains(LINUX_ONLY), "LinuxOnly was loaded by the portable profile");
        assertFalse(run.classes().contains(MEMFD), "memfd page files were loaded by the portable profile");
    }

    @Test
    void posixOnLinuxBindsThem(@TempDir Path dir) throws Exception {
        Run run = workload("posix", dir);
        assertEquals(0, run.status(), run.output());
        boolean linux = jnr.ffi.Platform.getNativePlatform().getOS() == jnr.ffi.Platform.OS.LINUX;
        assertEquals(linux, run.classes().contains(LINUX_ONLY), "LinuxOnly loaded by posix on Linux only");
    }
}
