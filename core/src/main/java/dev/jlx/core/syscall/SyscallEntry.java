package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;

/**
 * One line of the syscall table: the call, how well jlx supports it and why, what it returns when
 * unimplemented, its handler, how {@code --trace} prints its result and arguments, whether it may
 * wait for another thread or process (it then runs without the run token), and whether a handler
 * installed with SA_RESTART restarts it when a signal interrupts it (signal(7)).
 */
public record SyscallEntry(
        int number,
        String name,
        Support support,
        String note,
        Errno errno,
        Handler handler,
        ArgFormat result,
        ArgFormat[] args,
        boolean blocks,
        boolean restartable) {

    /** The same line for a call that may wait: the other threads of its process run meanwhile. */
    SyscallEntry blocking() {
        return new SyscallEntry(number, name, support, note, errno, handler, result, args, true, restartable);
    }

    /** The same line for a call that SA_RESTART does not restart: EINTR, as Linux's ERESTARTNOHAND and timed waits. */
    SyscallEntry notRestarted() {
        return new SyscallEntry(number, name, support, note, errno, handler, result, args, blocks, false);
    }
}
