package dev.jlx.core.loader;

import dev.jlx.abi.Auxv;
import dev.jlx.abi.Mman;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds a new process's stack exactly as Linux's {@code create_elf_tables} lays it out, from the
 * top down: the executable's name, the environment and argument strings, the platform string, 16
 * random bytes, then (16-byte aligned) argc, argv[], NULL, envp[], NULL and the auxiliary vector.
 */
public final class InitialStack {
    public static final long STACK_TOP = AddressSpace.TASK_SIZE;
    /** The stack mapped at exec: RLIMIT_STACK's default. Host pages are only used when touched. */
    public static final long STACK_SIZE = 8L << 20;
    /** AT_HWCAP on x86-64 is CPUID leaf 1 EDX; this is the engine's Westmere model (checked by a test). */
    public static final long HWCAP = 0x078bfbfdL;

    private InitialStack() {}

    /** What the kernel knows about the process when it builds the auxiliary vector. */
    public record Credentials(int uid, int euid, int gid, int egid) {}

    /**
     * The stack as built: the initial RSP (pointing at argc), the ranges of the argument and
     * environment strings (arguments end where the environment starts) and the auxiliary vector's
     * bytes, AT_NULL included: what Linux keeps for /proc/PID/{cmdline,environ,auxv,stat}.
     */
    public record Layout(long sp, long argStart, long envStart, long envEnd, byte[] auxv) {}

    /** Maps the stack and fills it. */
    public static Layout build(AddressSpace space, List<byte[]> argv, List<byte[]> envp, byte[] execfn,
            ElfLoader.Image image, long interpreterBase, Credentials creds, byte[] random) throws ErrnoException {
        long bottom = STACK_TOP - STACK_SIZE;
        space.map(bottom, STACK_SIZE, Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_FIXED | Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_GROWSDOWN, ByteString.of("[stack]"));
        GuestMemory mem = space.memory();

        long p = STACK_TOP - 8;
        p -= execfn.length + 1;
        long execfnAddr = p;
        mem.write(p, nulTerminated(execfn));
        long envEnd = p;
        long[] envAddrs = new long[envp.size()];
        for (int i = envp.size() - 1; i >= 0; i--) {
            p -= envp.get(i).length + 1;
            envAddrs[i] = p;
            mem.write(p, nulTerminated(envp.get(i)));
        }
        long envStart = p;
        long[] argAddrs = new long[argv.size()];
        for (int i = argv.size() - 1; i >= 0; i--) {
            p -= argv.get(i).length + 1;
            argAddrs[i] = p;
            mem.write(p, nulTerminated(argv.get(i)));
        }
        long argStart = p;
        p &= -16L;
        byte[] platform = "x86_64".getBytes(StandardCharsets.US_ASCII);
        p -= platform.length + 1;
        long platformAddr = p;
        mem.write(p, nulTerminated(platform));
        p &= -16L;
        p -= 16;
        long randomAddr = p;
        mem.write(p, random);

        long[] auxv = {
            Auxv.AT_HWCAP, HWCAP,
            Auxv.AT_PAGESZ, AddressSpace.PAGE,
            Auxv.AT_CLKTCK, 100,
            Auxv.AT_PHDR, image.phdrAddress(),
            Auxv.AT_PHENT, 56,
            Auxv.AT_PHNUM, image.phnum(),
            Auxv.AT_BASE, interpreterBase,
            Auxv.AT_FLAGS, 0,
            Auxv.AT_ENTRY, image.entry(),
            Auxv.AT_UID, creds.uid(),
            Auxv.AT_EUID, creds.euid(),
            Auxv.AT_GID, creds.gid(),
            Auxv.AT_EGID, creds.egid(),
            Auxv.AT_SECURE, 0,
            Auxv.AT_RANDOM, randomAddr,
            Auxv.AT_EXECFN, execfnAddr,
            Auxv.AT_PLATFORM, platformAddr,
            Auxv.AT_NULL, 0,
        };
        int words = 1 + argv.size() + 1 + envp.size() + 1 + auxv.length;
        p -= (long) words * 8;
        p &= -16L;
        ByteBuffer table = ByteBuffer.allocate(words * 8).order(ByteOrder.LITTLE_ENDIAN);
        table.putLong(argv.size());
        for (long a : argAddrs) {
            table.putLong(a);
        }
        table.putLong(0);
        for (long e : envAddrs) {
            table.putLong(e);
        }
        table.putLong(0);
        for (long v : auxv) {
            table.putLong(v);
        }
        mem.write(p, table.array());
        byte[] auxvBytes = java.util.Arrays.copyOfRange(table.array(), (words - auxv.length) * 8, words * 8);
        return new Layout(p, argStart, envStart, envEnd, auxvBytes);
    }

    private static byte[] nulTerminated(byte[] s) {
        byte[] out = new byte[s.length + 1];
        System.arraycopy(s, 0, out, 0, s.length);
        return out;
    }
}
