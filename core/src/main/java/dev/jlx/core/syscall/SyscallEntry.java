package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;

/**
 * One line of the syscall table: the call, how well jlx supports it and why, what it returns when
 * unimplemented, its handler, and how {@code --trace} prints its result and arguments.
 */
public record SyscallEntry(
        int number,
        String name,
        Support support,
        String note,
        Errno errno,
        Handler handler,
        ArgFormat result,
        ArgFormat[] args) {}
