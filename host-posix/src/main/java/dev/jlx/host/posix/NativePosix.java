package dev.jlx.host.posix;

import java.util.LinkedHashMap;
import java.util.Map;
import jnr.ffi.LibraryLoader;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.util.DefaultPOSIXHandler;

/**
 * The JVM's libc bindings and its one jnr-posix object. Building them generates bytecode, so each
 * happens once, on first use, through the holder idiom; files and backends only share them. jnr-posix
 * (~0.3 s of CPU to bind) is bound only for a stat on a host whose struct stat jlx does not know.
 */
final class NativePosix {
    private NativePosix() {}

    static POSIX posix() {
        Holder.require();
        return PosixHolder.POSIX;
    }

    static LibC libc() {
        return Holder.require();
    }

    /**
     * The Linux-only calls, bound on first use: only the {@code posix} profile on a Linux host asks
     * for them, so a JVM that runs only the {@code portable} profile never loads {@link LinuxOnly}.
     */
    static LinuxOnly linuxOnly() {
        return LinuxOnlyHolder.LINUX_ONLY;
    }

    /** macOS's own signatures, bound on first use (on macOS; tests bind them on Linux too). */
    static DarwinLibC darwin() {
        return DarwinHolder.DARWIN;
    }

    /**
     * The macOS symbols behind {@link LibC}'s method names, where they differ. Intel macOS keeps
     * the 32-bit-inode struct stat, statfs and dirent under the plain names for old binaries and
     * gives the 64-bit-inode ones, which arm64 has under the plain names, the {@code $INODE64}
     * suffix ({@code __DARWIN_INODE64}/{@code __DARWIN_ALIAS_I} in {@code <sys/cdefs.h>}); select
     * without a limit on nfds is {@code select$DARWIN_EXTSN} on both ({@code __DARWIN_EXTSN_C}).
     */
    static Map<String, String> darwinSymbols(boolean x86_64) {
        Map<String, String> symbols = new LinkedHashMap<>();
        if (x86_64) {
            for (String name : new String[] {"stat", "lstat", "fstat", "statfs", "fstatfs", "opendir", "readdir"}) {
                symbols.put(name, name + "$INODE64");
            }
        }
        symbols.put("select", "select$DARWIN_EXTSN");
        return symbols;
    }

    /** Null when the native bindings loaded, else why they did not. Loads them on first call. */
    static String unavailabilityCause() {
        return Holder.CAUSE;
    }

    private static final class Holder {
        private static final LibC LOADED;
        private static final String CAUSE;

        static {
            // jnr-ffi 2.2.17's x86 assembly stubs corrupt the 6th of six primitive arguments
            // (ENGINE.md); the switch is read when the first library is bound, so set it first.
            if (System.getProperty("jnr.ffi.x86asm.enabled") == null) {
                System.setProperty("jnr.ffi.x86asm.enabled", "false");
            }
            LibC loaded = null;
            String cause;
            try {
                LibraryLoader<LibC> loader = LibraryLoader.create(LibC.class);
                jnr.ffi.Platform platform = jnr.ffi.Platform.getNativePlatform();
                if (platform.getOS() == jnr.ffi.Platform.OS.DARWIN) {
                    darwinSymbols(platform.getCPU() == jnr.ffi.Platform.CPU.X86_64).forEach(loader::map);
                }
                loaded = loader.load("c");
                cause = null;
            } catch (LinkageError | RuntimeException e) {
                cause = "jnr-ffi could not bind the C library: " + e;
            }
            LOADED = loaded;
            CAUSE = cause;
        }

        static LibC require() {
            if (LOADED == null) {
                throw new IllegalStateException(CAUSE);
            }
            return LOADED;
        }
    }

    private static final class PosixHolder {
        private static final POSIX POSIX = POSIXFactory.getNativePOSIX(new QuietHandler());
    }

    private static final class LinuxOnlyHolder {
        private static final LinuxOnly LINUX_ONLY = bind(LinuxOnly.class);
    }

    private static final class DarwinHolder {
        private static final DarwinLibC DARWIN = bind(DarwinLibC.class);
    }

    /** A further libc binding, made after the main one (whose holder sets jnr-ffi's switches). */
    private static <T> T bind(Class<T> calls) {
        Holder.require();
        return LibraryLoader.create(calls).load("c");
    }

    /** jnr-posix reports failures through errno only: nothing here may throw or print. */
    private static final class QuietHandler extends DefaultPOSIXHandler {
        @Override
        public void error(jnr.constants.platform.Errno error, String extraData) {
            // The caller reads errno().
        }

        @Override
        public void error(jnr.constants.platform.Errno error, String methodName, String extraData) {
            // The caller reads errno().
        }

        @Override
        public void unimplementedError(String methodName) {
            // The caller sees -1 and reads errno().
        }

        @Override
        public void warn(WARNING_ID id, String message, Object... data) {
            // jlx logs what matters itself.
        }

        @Override
        public boolean isVerbose() {
            return false;
        }
    }
}
