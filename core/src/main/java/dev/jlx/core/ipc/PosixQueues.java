package dev.jlx.core.ipc;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Ipc;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.struct.MqAttr;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess.Credentials;
import java.util.HashMap;
import java.util.Map;

/**
 * A namespace's POSIX message queues by name (the root of Linux's mqueue file system, which jlx
 * mounts nowhere): mq_open finds or makes one, mq_unlink takes its name away (the queue lives on
 * while descriptors hold it). Guarded by its monitor; each queue has its own.
 */
public final class PosixQueues {
    private final Map<ByteString, PosixQueue> byName = new HashMap<>();

    /**
     * mq_open(2)'s lookup and creation (do_mq_open, mqueue_create_attr): ENOENT without O_CREAT,
     * EEXIST with O_CREAT|O_EXCL, EACCES without the permission the access mode asks; a new queue
     * takes {@code attr} (null: msg_default and msgsize_default), EINVAL outside Linux's limits (past
     * msg_max and msgsize_max only without CAP_SYS_RESOURCE, euid 0), ENOSPC past queues_max.
     */
    public synchronized PosixQueue open(ByteString name, int flags, int mode, MqAttr attr, Credentials c,
            int umask) throws ErrnoException {
        PosixQueue q = byName.get(name);
        if (q == null) {
            if ((flags & OpenFlags.O_CREAT) == 0) {
                throw new ErrnoException(Errno.ENOENT);
            }
            boolean privileged = c.capable(dev.jlx.core.kernel.GuestProcess.CAP_SYS_RESOURCE);
            if (byName.size() >= Ipc.MQ_QUEUES_MAX && !privileged) {
                throw new ErrnoException(Errno.ENOSPC);
            }
            long maxmsg = Ipc.MQ_MSG_DEFAULT;
            long msgsize = Ipc.MQ_MSGSIZE_DEFAULT;
            if (attr != null) {
                maxmsg = attr.maxmsg();
                msgsize = attr.msgsize();
                if (maxmsg <= 0 || msgsize <= 0 || (!privileged && (maxmsg > Ipc.MQ_MSG_MAX
                        || msgsize > Ipc.MQ_MSGSIZE_MAX)) || maxmsg > Ipc.MQ_HARD_MSGMAX
                        || msgsize > Ipc.MQ_HARD_MSGSIZEMAX) {
                    throw new ErrnoException(Errno.EINVAL);
                }
            }
            q = new PosixQueue(maxmsg, msgsize, mode & ~umask & 07777, c.fsuid(), c.fsgid());
            byName.put(name, q);
            return q;
        }
        if ((flags & (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) == (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) {
            throw new ErrnoException(Errno.EEXIST);
        }
        int access = flags & OpenFlags.O_ACCMODE;
        if (access == OpenFlags.O_ACCMODE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        q.checkAccess(c, access == OpenFlags.O_RDONLY ? 4 : access == OpenFlags.O_WRONLY ? 2 : 6);
        return q;
    }

    /** mq_unlink(2): ENOENT when no queue has the name; EACCES unless the caller owns it (the directory is sticky) or is root. */
    public synchronized void unlink(ByteString name, Credentials c) throws ErrnoException {
        PosixQueue q = byName.get(name);
        if (q == null) {
            throw new ErrnoException(Errno.ENOENT);
        }
        if (!c.capable(dev.jlx.core.kernel.GuestProcess.CAP_FOWNER) && c.fsuid() != q.uid()) {
            throw new ErrnoException(Errno.EACCES);
        }
        byName.remove(name);
    }
}
