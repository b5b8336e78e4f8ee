package dev.jlx.core.ipc;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Ipc;
import dev.jlx.abi.Mman;
import dev.jlx.abi.struct.IpcInfo;
import dev.jlx.abi.struct.IpcPerm;
import dev.jlx.abi.struct.ShmidDs;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostMemory;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestProcess.Credentials;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.SharedHost;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * System V shared memory (Linux's ipc/shm.c). A segment's pages are one shared host allocation
 * ({@link SharedHost}) that every attachment maps, in whatever process, and that fork hands on
 * with the address space; the segment holds it until IPC_RMID and its last detach. Its attach count
 * is the number of VMAs that map it, as Linux's shm_nattch (a split or a fork adds one). All state is
 * guarded by this object's monitor, which address spaces take last (their VMAs' comings and goings).
 */
public final class SharedMemory {
    private static final long PAGE = AddressSpace.PAGE;
    private final IpcIds<Segment> ids = new IpcIds<>(Ipc.SHMMNI);
    private final HostMemory memory;
    /** Pages of all segments (shm_tot). */
    private long pages;

    SharedMemory(HostMemory memory) {
        this.memory = memory;
    }

    /** A segment (Linux's shmid_kernel). */
    final class Segment extends IpcObject implements SharedHost.Attachments {
        final long size;
        /** Its name in /proc/PID/maps, made from the key it was made with (Linux's file name, kept after IPC_RMID). */
        final ByteString name;
        SharedHost host;
        long atime;
        long dtime;
        final int cpid;
        int lpid;
        int nattch;

        Segment(int key, int flags, Credentials c, long size, int pid) {
            super(key, flags, c);
            this.size = size;
            this.cpid = pid;
            this.name = ByteString.of(String.format(Locale.ROOT, "/SYSV%08x (deleted)", key));
        }

        /** A VMA maps it, or no longer does: Linux's shm_open and shm_close. */
        @Override
        public void changed(int delta) {
            synchronized (SharedMemory.this) {
                nattch += delta;
                GuestThread caller = Kernel.caller();
                if (caller != null) {
                    lpid = caller.process().pid();
                }
                if (delta > 0) {
                    atime = now();
                } else {
                    dtime = now();
                    if (nattch == 0 && (mode & Ipc.SHM_DEST) != 0) {
                        destroy(this);
                    }
                }
            }
        }
    }

    private void destroy(Segment s) {
        ids.remove(s);
        s.deleted = true;
        pages -= AddressSpace.pageUp(s.size) / PAGE;
        s.host.release();
    }

    /** Implements shmget(2) (newseg and shm_more_checks). */
    public synchronized int get(int key, long size, int flags, GuestProcess p) throws ErrnoException {
        Credentials c = p.credentials();
        return ids.get(key, flags, c, (k, f) -> {
            if (size < Ipc.SHMMIN || Long.compareUnsigned(size, Ipc.SHMMAX) > 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            long n = AddressSpace.pageUp(size) / PAGE;
            if (n <= 0 || Long.compareUnsigned(pages + n, Ipc.SHMALL) > 0) {
                throw new ErrnoException(Errno.ENOSPC);
            }
            Segment s = new Segment(k, f, c, size, p.pid());
            s.host = SharedHost.anonymous(memory, n * PAGE, s);
            if (s.host == null) {
                throw new ErrnoException(Errno.ENOMEM);
            }
            pages += n;
            return s;
        }, s -> {
            if (Long.compareUnsigned(s.size, size) < 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
        });
    }

    /**
     * Implements shmat(2) after its address checks (do_shmat): the segment's pages at {@code address}
     * (0: where mmap would put them), read-only with SHM_RDONLY, executable with SHM_EXEC; an
     * occupied range is EINVAL unless SHM_REMAP. Named /SYSV%08x (deleted) in /proc/PID/maps.
     */
    public long attach(int shmid, long address, int flags, GuestProcess p) throws ErrnoException {
        int prot = (flags & Ipc.SHM_RDONLY) != 0 ? Mman.PROT_READ : Mman.PROT_READ | Mman.PROT_WRITE;
        int access = (flags & Ipc.SHM_RDONLY) != 0 ? 0444 : 0666;
        if ((flags & Ipc.SHM_EXEC) != 0) {
            prot |= Mman.PROT_EXEC;
            access |= 0111;
        }
        Segment s;
        synchronized (this) {
            s = ids.byId(shmid);
            s.checkAccess(p.credentials(), access);
            if (s.deleted) {
                throw new ErrnoException(Errno.EIDRM);
            }
            // Held while the mapping is made, as Linux's do_shmat counts itself, so that a concurrent
            // IPC_RMID with no other attachment does not free the segment under it.
            s.nattch++;
        }
        try {
            // A read-only attachment never becomes writable (its file is open O_RDONLY in Linux).
            int maxProt = Mman.PROT_READ | Mman.PROT_EXEC | ((flags & Ipc.SHM_RDONLY) != 0 ? 0 : Mman.PROT_WRITE);
            return p.space().attachShared(address, prot, (flags & Ipc.SHM_REMAP) != 0, s.name, s.host, maxProt);
        } finally {
            synchronized (this) {
                s.nattch--;
                if (s.nattch == 0 && (s.mode & Ipc.SHM_DEST) != 0) {
                    destroy(s);
                }
            }
        }
    }

    /** Implements shmctl(2) IPC_STAT, SHM_STAT and SHM_STAT_ANY: the segment's shmid64_ds; the STAT forms take an index and return the id. */
    public synchronized int stat(int shmidOrIndex, int cmd, Credentials c, ByteBuffer out) throws ErrnoException {
        Segment s = cmd == Ipc.IPC_STAT ? ids.byId(shmidOrIndex) : ids.byIndex(shmidOrIndex);
        if (cmd != Ipc.SHM_STAT_ANY) {
            s.checkAccess(c, 0444);
        }
        new ShmidDs(s.perm(), s.size, s.atime, s.dtime, s.ctime, s.cpid, s.lpid, s.nattch).writeTo(out, 0);
        return cmd == Ipc.IPC_STAT ? 0 : s.id;
    }

    /** Implements shmctl(2) IPC_SET: the owner and permission bits from {@code perm}. */
    public synchronized void set(int shmid, IpcPerm perm, Credentials c) throws ErrnoException {
        Segment s = ids.byId(shmid);
        s.checkOwner(c);
        s.set(perm);
    }

    /** Implements shmctl(2) IPC_RMID: gone now when unattached, else marked SHM_DEST with its key freed. */
    public synchronized void remove(int shmid, Credentials c) throws ErrnoException {
        Segment s = ids.byId(shmid);
        s.checkOwner(c);
        if (s.nattch == 0) {
            destroy(s);
        } else {
            s.mode |= Ipc.SHM_DEST;
            ids.forgetKey(s);
        }
    }

    /** Implements shmctl(2) SHM_LOCK and SHM_UNLOCK: the SHM_LOCKED mode bit (jlx's memory is never swapped). */
    public synchronized void lock(int shmid, boolean lock, Credentials c) throws ErrnoException {
        Segment s = ids.byId(shmid);
        if (!c.capable(dev.jlx.core.kernel.GuestProcess.CAP_IPC_LOCK) && c.euid() != s.uid && c.euid() != s.cuid) {
            throw new ErrnoException(Errno.EPERM);
        }
        s.mode = lock ? s.mode | Ipc.SHM_LOCKED : s.mode & ~Ipc.SHM_LOCKED;
    }

    /** Implements shmctl(2) IPC_INFO (shminfo64) and SHM_INFO (shm_info); returns the highest index in use. */
    public synchronized int info(int cmd, ByteBuffer out) {
        if (cmd == Ipc.IPC_INFO) {
            IpcInfo.writeShminfo(out, Ipc.SHMMAX, Ipc.SHMMIN, Ipc.SHMMNI, Ipc.SHMSEG, Ipc.SHMALL);
        } else {
            long rss = 0;
            for (Segment s : ids.all()) {
                rss += memory.residentBytes(s.host.memory()) / PAGE;
            }
            IpcInfo.writeShmInfo(out, ids.inUse(), pages, rss, 0);
        }
        return ids.maxIndex();
    }

    /** /proc/sysvipc/shm, as sysvipc_shm_proc_show prints it. */
    public synchronized String proc() {
        StringBuilder out = new StringBuilder("       key      shmid perms                  size  cpid  lpid nattch   uid"
                + "   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n");
        for (Segment s : ids.all()) {
            long rss = memory.residentBytes(s.host.memory());
            out.append(String.format(Locale.ROOT, "%10d %10d  %4o %21d %5d %5d  %5d %5d %5d %5d %5d %10d %10d %10d %21d %21d%n",
                    s.key, s.id, s.mode, s.size, s.cpid, s.lpid, s.nattch, s.uid, s.gid, s.cuid, s.cgid, s.atime,
                    s.dtime, s.ctime, rss, 0));
        }
        return out.toString();
    }
}
