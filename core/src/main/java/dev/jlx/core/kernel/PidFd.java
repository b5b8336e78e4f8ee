package dev.jlx.core.kernel;

import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Poll;
import dev.jlx.core.fs.AnonInodeFile;
import dev.jlx.core.fs.Readiness;

/**
 * A pidfd (kernel/pid.c, fs/pidfs.c): a descriptor naming one process. It is readable for poll
 * once the process has ended (a zombie), and reports POLLHUP too once it is reaped; read and write
 * are EINVAL. /proc/PID/fdinfo shows the pid, -1 once reaped.
 */
public final class PidFd extends AnonInodeFile {

    private final GuestProcess process;
    private final int uid;
    private final int gid;

    /** A pidfd of {@code process}; always O_RDWR, PIDFD_NONBLOCK being O_NONBLOCK. */
    public PidFd(GuestProcess process, int statusFlags, int uid, int gid) {
        super(OpenFlags.O_RDWR | statusFlags, uid, gid);
        this.process = process;
        this.uid = uid;
        this.gid = gid;
    }

    public GuestProcess process() {
        return process;
    }

    /** Whether the process has been reaped: its pid names it no more. */
    public boolean reaped() {
        return process.kernel().process(process.pid()) != process;
    }

    @Override
    public int poll(int events) {
        if (reaped()) {
            return (events & (Poll.POLLIN | Poll.POLLRDNORM)) | Poll.POLLHUP;
        }
        return process.zombie() ? events & (Poll.POLLIN | Poll.POLLRDNORM) : 0;
    }

    @Override
    public Readiness readiness() {
        return process.exitReadiness();
    }

    /** What /proc/PID/fdinfo shows after the common lines (pidfd_show_fdinfo). */
    public String fdinfo() {
        int pid = reaped() ? -1 : process.pid();
        return "Pid:\t" + pid + "\nNSpid:\t" + pid + "\n";
    }

    @Override
    protected void release() {
        // Nothing to give back.
    }
}
