package dev.jlx.core.ipc;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Ipc;
import dev.jlx.abi.struct.IpcPerm;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess.Credentials;

/**
 * What every System V IPC object has, analogous to Linux's {@code struct kern_ipc_perm}: its key,
 * id, owner, creator and mode, and whether it has been removed. Guarded by the lock of the object's
 * kind ({@link IpcIds}'s users say which).
 */
abstract class IpcObject {
    int key;
    int id;
    int uid;
    int gid;
    final int cuid;
    final int cgid;
    int mode;
    long ctime;
    /** Removed (IPC_RMID): Linux's !ipc_valid_object. */
    boolean deleted;

    IpcObject(int key, int flags, Credentials c) {
        this.key = key;
        this.uid = c.euid();
        this.cuid = c.euid();
        this.gid = c.egid();
        this.cgid = c.egid();
        this.mode = flags & 0777;
        this.ctime = now();
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    int index() {
        return id % Ipc.IPCMNI;
    }

    /**
     * Linux's ipcperms: the owner's or creator's bits for its user, the group's for its groups, the
     * others' else; {@code flag}'s read, write and execute bits in any of the three places ask for
     * them. EACCES unless granted or CAP_IPC_OWNER.
     */
    void checkAccess(Credentials c, int flag) throws ErrnoException {
        int requested = (flag >> 6) | (flag >> 3) | flag;
        int granted = mode;
        if (c.euid() == cuid || c.euid() == uid) {
            granted >>= 6;
        } else if (inGroup(c, cgid) || inGroup(c, gid)) {
            granted >>= 3;
        }
        if ((requested & ~granted & 0007) != 0 && !c.capable(dev.jlx.core.kernel.GuestProcess.CAP_IPC_OWNER)) {
            throw new ErrnoException(Errno.EACCES);
        }
    }

    private static boolean inGroup(Credentials c, int group) {
        if (c.fsgid() == group) {
            return true;
        }
        for (int g : c.groups()) {
            if (g == group) {
                return true;
            }
        }
        return false;
    }

    /** Linux's ipcctl_obtain_check for IPC_SET and IPC_RMID: the owner, the creator or CAP_SYS_ADMIN, else EPERM. */
    void checkOwner(Credentials c) throws ErrnoException {
        if (c.euid() != cuid && c.euid() != uid && !c.capable(dev.jlx.core.kernel.GuestProcess.CAP_SYS_ADMIN)) {
            throw new ErrnoException(Errno.EPERM);
        }
    }

    IpcPerm perm() {
        return new IpcPerm(key, uid, gid, cuid, cgid, mode, id / Ipc.IPCMNI);
    }

    /** IPC_SET's part for every kind: the owner and the permission bits; the change time. */
    void set(IpcPerm p) {
        uid = p.uid();
        gid = p.gid();
        mode = (mode & ~0777) | (p.mode() & 0777);
        ctime = now();
    }
}
