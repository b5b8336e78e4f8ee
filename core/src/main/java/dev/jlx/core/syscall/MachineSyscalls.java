package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Signals;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;

/**
 * Calls about the machine as a run sees it, a container with its own PID namespace: reboot(2)
 * ends the run as reboot_pid_ns ends a namespace.
 */
final class MachineSyscalls {
    static final int LINUX_REBOOT_MAGIC1 = 0xfee1dead;
    static final int LINUX_REBOOT_MAGIC2 = 672274793;
    static final int LINUX_REBOOT_MAGIC2A = 85072278;
    static final int LINUX_REBOOT_MAGIC2B = 369367448;
    static final int LINUX_REBOOT_MAGIC2C = 537993216;
    static final int LINUX_REBOOT_CMD_RESTART = 0x01234567;
    static final int LINUX_REBOOT_CMD_HALT = 0xcdef0123;
    static final int LINUX_REBOOT_CMD_POWER_OFF = 0x4321fedc;
    static final int LINUX_REBOOT_CMD_RESTART2 = 0xa1b2c3d4;

    private MachineSyscalls() {}

    /**
     * Implements Linux syscall reboot(2) in a PID namespace other than the initial one: CAP_SYS_BOOT
     * (EPERM), the magic numbers (EINVAL), then reboot_pid_ns: RESTART and RESTART2 end the run as
     * by SIGHUP, POWER_OFF and HALT as by SIGINT, the caller exiting with 0; any other command
     * (CAD_ON and CAD_OFF included) is EINVAL. RESTART2's string is not read, as there.
     */
    static long reboot(GuestThread t, Args a) throws ErrnoException {
        if (!t.process().credentials().capable(GuestProcess.CAP_SYS_BOOT)) {
            throw new ErrnoException(Errno.EPERM);
        }
        int magic2 = a.i32(1);
        if (a.i32(0) != LINUX_REBOOT_MAGIC1 || (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A
                && magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int signal = switch (a.i32(2)) {
            case LINUX_REBOOT_CMD_RESTART, LINUX_REBOOT_CMD_RESTART2 -> Signals.SIGHUP;
            case LINUX_REBOOT_CMD_POWER_OFF, LINUX_REBOOT_CMD_HALT -> Signals.SIGINT;
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        t.process().kernel().reboot(t.process(), signal);
        return 0;
    }
}
