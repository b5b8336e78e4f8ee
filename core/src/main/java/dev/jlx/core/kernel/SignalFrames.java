package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Fpstate;
import dev.jlx.abi.struct.RtSigframe;
import dev.jlx.abi.struct.Sigaltstack;
import dev.jlx.abi.struct.Sigcontext;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.abi.struct.Ucontext;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.cpu.CpuEngine;
import dev.jlx.core.cpu.X86Reg;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/**
 * x86-64 signal frames as Linux's setup_rt_frame and rt_sigreturn lay them out: below the red
 * zone, the FXSAVE-format fpstate (64-byte aligned), then struct rt_sigframe: the return address
 * (sa_restorer), a ucontext (flags, link, stack, sigcontext, the mask to restore) and a siginfo.
 * The handler gets (sig, &info, &uc) with RSP + 8 16-byte aligned, as a call would leave it.
 */
public final class SignalFrames {
    /** sa_flags bits of rt_sigaction. */
    public static final long SA_RESTORER = 0x04000000L;
    public static final long SA_ONSTACK = 0x08000000L;
    public static final long SA_RESTART = 0x10000000L;
    public static final long SA_NODEFER = 0x40000000L;
    public static final long SA_RESETHAND = 0x80000000L;

    /** The general registers in struct sigcontext's order, from r8 (Sigcontext.R8) to eflags. */
    private static final int[] GREGS = {X86Reg.R8, X86Reg.R8 + 1, X86Reg.R8 + 2, X86Reg.R8 + 3, X86Reg.R8 + 4,
        X86Reg.R8 + 5, X86Reg.R8 + 6, X86Reg.R8 + 7, X86Reg.RDI, X86Reg.RSI, X86Reg.RBP, X86Reg.RBX, X86Reg.RDX,
        X86Reg.RAX, X86Reg.RCX, X86Reg.RSP, X86Reg.RIP, X86Reg.EFLAGS};
    /** Indexes into {@link #registers}: each register's offset in struct sigcontext over 8. */
    public static final int RAX = Sigcontext.RAX / 8;
    public static final int RCX = Sigcontext.RCX / 8;
    public static final int RSP = Sigcontext.RSP / 8;
    public static final int RIP = Sigcontext.RIP / 8;
    public static final int EFLAGS = Sigcontext.EFLAGS / 8;
    public static final int R11 = Sigcontext.R11 / 8;

    private static final int RED_ZONE = 128;
    /** The FXSAVE area goes 64-byte aligned below the red zone, as XSAVE would need it. */
    private static final long FPSTATE_ALIGN = 64;
    /** The frame ends 16-byte aligned, less the return address a call would have pushed. */
    private static final long FRAME_ALIGN = 16;
    /** The frame holds a real SS, restored as saved. */
    private static final long UC_FLAGS = Ucontext.UC_SIGCONTEXT_SS | Ucontext.UC_STRICT_RESTORE_SS;
    private static final int USER_CS = 0x33;
    private static final int USER_DS = 0x2b;
    /** EFLAGS bits a frame may change (Linux's FIX_EFLAGS): AC, OF, DF, TF, SF, ZF, AF, PF, CF, RF. */
    private static final long FIX_EFLAGS = 0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | 0x10000;
    /** Cleared for the handler: DF, TF and RF. */
    private static final long HANDLER_CLEARS = 0x400 | 0x100 | 0x10000;

    private SignalFrames() {}

    /** The general registers now, in sigcontext order. */
    public static long[] registers(CpuEngine engine) {
        long[] r = new long[GREGS.length];
        for (int i = 0; i < GREGS.length; i++) {
            r[i] = engine.reg(GREGS[i]);
        }
        return r;
    }

    /**
     * Builds the frame for {@code sig} with {@code regs} (the point to resume at) and the FPU state
     * now; sets the registers for the handler and returns its address. The thread's mask becomes
     * {@code savedMask} plus the action's mask (and the signal itself unless SA_NODEFER).
     */
    public static long deliver(GuestThread t, Siginfo info, long[] regs, long savedMask) throws ErrnoException {
        int sig = info.signo();
        GuestProcess p = t.process();
        SignalActions actions = p.signalActions();
        long handler = actions.handler(sig);
        long flags = actions.flags(sig);
        if ((flags & SA_RESTORER) == 0) {
            // x86-64 has no kernel-provided return trampoline: without a restorer the frame cannot return.
            throw new ErrnoException(Errno.EFAULT);
        }
        CpuEngine engine = t.engine();
        GuestMemory mem = p.space().memory();
        long sp = regs[RSP] - RED_ZONE;
        if ((flags & SA_ONSTACK) != 0 && (t.altStackState(sp) & ~GuestThread.SS_AUTODISARM) == 0) {
            // SA_ONSTACK with an alternate stack the thread is not on yet: the frame goes on top of it.
            sp = t.altStackSp() + t.altStackSize();
        }
        long fpstate = (sp - Fpstate.SIZE) & -FPSTATE_ALIGN;
        long frame = ((fpstate - RtSigframe.SIZE) & -FRAME_ALIGN) - 8;
        mem.write(fpstate, engine.fxsave());
        // uc_stack: the alternate stack as it was set, which rt_sigreturn sets again (SS_AUTODISARM).
        Sigaltstack stack = new Sigaltstack(t.altStackSp(),
                t.altStackSize() == 0 ? GuestThread.SS_DISABLE : t.altStackFlags(), t.altStackSize());
        t.disarmAltStack();
        Sigcontext sc = new Sigcontext(regs, (short) USER_CS, (short) 0, (short) 0, (short) USER_DS, 0, 0, savedMask,
                0, fpstate);
        ByteBuffer f = GuestMemory.structBuffer(RtSigframe.SIZE);
        new RtSigframe(actions.restorer(sig), new Ucontext(UC_FLAGS, 0, stack, sc, savedMask), info).writeTo(f, 0);
        mem.writeStruct(frame, f);
        long mask = savedMask | actions.mask(sig);
        if ((flags & SA_NODEFER) == 0) {
            mask |= GuestThread.bit(sig);
        }
        t.setSignalMask(mask);
        if ((flags & SA_RESETHAND) != 0) {
            actions.set(sig, Signals.SIG_DFL, 0, 0, 0);
        }
        engine.reg(X86Reg.RSP, frame);
        engine.reg(X86Reg.RDI, sig);
        engine.reg(X86Reg.RSI, frame + RtSigframe.INFO);
        engine.reg(X86Reg.RDX, frame + RtSigframe.UC);
        engine.reg(X86Reg.RAX, 0);
        engine.reg(X86Reg.EFLAGS, regs[EFLAGS] & ~HANDLER_CLEARS);
        return handler;
    }

    /**
     * rt_sigreturn: restores the registers, FPU state and mask the frame at RSP holds (the handler
     * may have changed them) and returns where to resume.
     */
    public static long sigreturn(GuestThread t) throws ErrnoException {
        CpuEngine engine = t.engine();
        GuestMemory mem = t.process().space().memory();
        long uc = engine.reg(X86Reg.RSP);
        Ucontext u = Ucontext.readFrom(mem.readStruct(uc, RtSigframe.SIZE - RtSigframe.UC), 0);
        long[] regs = u.mcontext().gregs();
        long fpstate = u.mcontext().fpstate();
        if (fpstate != 0) {
            engine.fxrstor(mem.read(fpstate, Fpstate.SIZE));
        }
        regs[EFLAGS] = (engine.reg(X86Reg.EFLAGS) & ~FIX_EFLAGS) | (regs[EFLAGS] & FIX_EFLAGS);
        for (int i = 0; i < regs.length; i++) {
            engine.reg(GREGS[i], regs[i]);
        }
        t.setSignalMask(u.sigmask());
        try {
            // As Linux's restore_altstack: a stack SS_AUTODISARM took away comes back; errors are ignored.
            t.setAltStack(uc, u.stack().sp(), u.stack().flags(), u.stack().size());
        } catch (ErrnoException ignored) {
            // Still on the alternate stack (EPERM), or a frame the handler changed: the stack stays.
        }
        return regs[RIP];
    }
}
