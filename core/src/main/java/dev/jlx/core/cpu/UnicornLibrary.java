package dev.jlx.core.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jlx.core.HostOs;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and binds the Unicorn shared library (>= 2.1.1, see ENGINE.md: 2.0.1 makes every guest
 * store ~40x slower; >= 2.1.4 on Apple silicon, where older ones crash under its W^X rules). Search
 * order: the {@code jlx.unicorn.library} system property or the {@code JLX_UNICORN_LIBRARY}
 * environment variable (an explicit file), the per-user folder of the host's convention
 * ({@link #userLibraryDir}), then where the host's package manager puts it, then the system's own
 * search. Downcall handles are created lazily, one holder class each, because each costs milliseconds.
 */
final class UnicornLibrary {
    /** The oldest usable version, as uc_version encodes it: major << 24 | minor << 16 | patch << 8. */
    static final int MIN_VERSION = minVersion(HostOs.running());

    static final Linker LINKER = Linker.nativeLinker();
    /** The library, or null when none suitable was found ({@link #FAILURE} says why). */
    static final SymbolLookup LOOKUP;
    static final String LOADED_FROM;
    static final int VERSION;
    /** Why no library could be used; a static initializer must not throw, so it is kept for {@link #require()}. */
    private static final String FAILURE;

    static {
        List<String> rejected = new ArrayList<>();
        SymbolLookup found = null;
        String from = null;
        int version = 0;
        HostOs host = HostOs.running();
        for (String candidate : candidates(host)) {
            SymbolLookup lookup;
            try {
                lookup = SymbolLookup.libraryLookup(candidate, Arena.global());
            } catch (IllegalArgumentException notThere) {
                continue;
            }
            int v;
            try {
                v = version(lookup);
            } catch (RuntimeException notUnicorn) {
                rejected.add(candidate + " is not a Unicorn library");
                continue;
            }
            if (Integer.compareUnsigned(v, MIN_VERSION) >= 0) {
                found = lookup;
                from = candidate;
                version = v;
                break;
            }
            rejected.add(candidate + " is " + versionString(v));
        }
        LOOKUP = found;
        LOADED_FROM = from;
        VERSION = version;
        FAILURE = found != null ? null : "Unicorn >= " + versionString(MIN_VERSION) + " not found"
                + (rejected.isEmpty() ? "" : " (" + String.join(", ", rejected) + ")") + ": " + howToGet(host);
    }

    /** Throws the reason the engine cannot be used, if it cannot; call before any downcall holder. */
    static void require() {
        if (FAILURE != null) {
            throw new EngineException(FAILURE);
        }
    }

    private UnicornLibrary() {}

    static String versionString(int v) {
        return (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff);
    }

    static int minVersion(HostOs host) {
        boolean arm = host.arch().equals("aarch64") || host.arch().equals("arm64");
        return host.mac() && arm ? 0x02010400 : 0x02010100;
    }

    /** The files or names to try, in order. */
    static List<String> candidates(HostOs host) {
        List<String> names = new ArrayList<>();
        String explicit = System.getProperty("jlx.unicorn.library", host.getenv("JLX_UNICORN_LIBRARY"));
        if (explicit != null && !explicit.isEmpty()) {
            names.add(explicit);
            return names;
        }
        String file = host.windows() ? "unicorn.dll" : host.mac() ? "libunicorn.2.dylib" : "libunicorn.so.2";
        names.add(userLibraryDir(host).resolve(file).toString());
        if (host.mac()) {
            String brew = host.getenv("HOMEBREW_PREFIX");
            if (brew != null) {
                names.add(Path.of(brew, "lib", file).toString());
            }
            names.add("/opt/homebrew/lib/" + file);
            names.add("/usr/local/lib/" + file);
        }
        // The system's own search: the loader's path on Linux and macOS, PATH and the system folders on Windows.
        names.add(file);
        return names;
    }

    /** The per-user folder for the library ({@link HostOs#dataDir}), where {@code .ci/setup} puts it on Linux. */
    static Path userLibraryDir(HostOs host) {
        return host.dataDir().resolve("unicorn");
    }

    static String howToGet(HostOs host) {
        String dir = userLibraryDir(host).toString();
        if (host.mac()) {
            return "install it with `brew install unicorn` (2.1.4 or newer on Apple silicon), put libunicorn.2.dylib in "
                    + dir + ", or set JLX_UNICORN_LIBRARY to its full path";
        }
        if (host.windows()) {
            return "put unicorn.dll (2.1.1 or newer, from Unicorn's GitHub releases or vcpkg) in " + dir
                    + " or on PATH, or set JLX_UNICORN_LIBRARY to its full path";
        }
        return "run `.ci/setup` from the jlx checkout (it unpacks Debian 13's libunicorn2t64 into " + dir
                + "), install libunicorn2t64 (Debian 13+, Ubuntu 24.04+), or set JLX_UNICORN_LIBRARY to libunicorn.so.2";
    }

    private static int version(SymbolLookup lookup) {
        // unsigned int uc_version(unsigned int *major, unsigned int *minor);
        MethodHandle h = LINKER.downcallHandle(lookup.find("uc_version").orElseThrow(
                () -> new EngineException("no uc_version")), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        try {
            return (int) h.invokeExact(MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new EngineException("uc_version failed: " + t);
        }
    }

    static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(LOOKUP.find(name).orElseThrow(
                () -> new EngineException(LOADED_FROM + " lacks " + name)), descriptor, options);
    }

    // One holder per function: a handle is created on first use of that function only.

    /** uc_err uc_open(uc_arch arch, uc_mode mode, uc_engine **uc); */
    static final class Open {
        static final MethodHandle H = bind("uc_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }

    /** uc_err uc_close(uc_engine *uc); */
    static final class Close {
        static final MethodHandle H = bind("uc_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /** const char *uc_strerror(uc_err code); */
    static final class StrError {
        static final MethodHandle H = bind("uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    /** uc_err uc_ctl(uc_engine *uc, uc_control_type control, ...); with one int argument. */
    static final class CtlInt {
        static final MethodHandle H = bind("uc_ctl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
    }

    /** uc_err uc_ctl(uc_engine *uc, uc_control_type control, ...); with two uint64_t arguments. */
    static final class CtlLongLong {
        static final MethodHandle H = bind("uc_ctl",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(2));
    }

    /** uc_err uc_reg_write(uc_engine *uc, int regid, const void *value); */
    static final class RegWrite {
        static final MethodHandle H = bind("uc_reg_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    }

    /** uc_err uc_reg_read(uc_engine *uc, int regid, void *value); */
    static final class RegRead {
        static final MethodHandle H = bind("uc_reg_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    }

    /** uc_err uc_reg_read_batch(uc_engine *uc, int *regs, void **vals, int count); */
    static final class RegReadBatch {
        static final MethodHandle H = bind("uc_reg_read_batch",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
    }

    /** uc_err uc_reg_write_batch(uc_engine *uc, int *regs, void *const *vals, int count); */
    static final class RegWriteBatch {
        static final MethodHandle H = bind("uc_reg_write_batch",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
    }

    /** uc_err uc_emu_start(uc_engine *uc, uint64_t begin, uint64_t until, uint64_t timeout, size_t count); */
    static final class EmuStart {
        static final MethodHandle H = bind("uc_emu_start",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    /** uc_err uc_emu_stop(uc_engine *uc); */
    static final class EmuStop {
        static final MethodHandle H = bind("uc_emu_stop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /**
     * uc_err uc_hook_add(uc_engine *uc, uc_hook *hh, int type, void *callback, void *user_data,
     * uint64_t begin, uint64_t end, ...); with the instruction id as the variadic argument (UC_HOOK_INSN).
     */
    static final class HookAddInsn {
        static final MethodHandle H = bind("uc_hook_add",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG,
                        JAVA_INT),
                Linker.Option.firstVariadicArg(7));
    }

    /** uc_hook_add as above without variadic arguments (memory and interrupt hooks). */
    static final class HookAdd {
        static final MethodHandle H = bind("uc_hook_add",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    /** uc_err uc_hook_del(uc_engine *uc, uc_hook hh); */
    static final class HookDel {
        static final MethodHandle H = bind("uc_hook_del", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /** uc_err uc_mem_map_ptr(uc_engine *uc, uint64_t address, size_t size, uint32_t perms, void *ptr); */
    static final class MemMapPtr {
        static final MethodHandle H = bind("uc_mem_map_ptr",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
    }

    /** uc_err uc_mem_unmap(uc_engine *uc, uint64_t address, size_t size); */
    static final class MemUnmap {
        static final MethodHandle H = bind("uc_mem_unmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    /** uc_err uc_context_alloc(uc_engine *uc, uc_context **context); */
    static final class ContextAlloc {
        static final MethodHandle H = bind("uc_context_alloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }

    /** uc_err uc_context_save(uc_engine *uc, uc_context *context); */
    static final class ContextSave {
        static final MethodHandle H = bind("uc_context_save", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }

    /** uc_err uc_context_restore(uc_engine *uc, uc_context *context); */
    static final class ContextRestore {
        static final MethodHandle H = bind("uc_context_restore", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }

    /** uc_err uc_ctl(uc_engine *uc, uc_control_type control, ...); with no arguments. */
    static final class CtlNone {
        static final MethodHandle H = bind("uc_ctl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
    }

    /** uc_err uc_mem_protect(uc_engine *uc, uint64_t address, size_t size, uint32_t perms); */
    static final class MemProtect {
        static final MethodHandle H = bind("uc_mem_protect",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
    }
}
