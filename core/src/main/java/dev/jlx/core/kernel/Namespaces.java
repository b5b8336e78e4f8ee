package dev.jlx.core.kernel;

import dev.jlx.abi.CloneFlags;
import dev.jlx.abi.Errno;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.SyntheticFile;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import dev.jlx.core.ipc.IpcNamespace;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.Supplier;

/**
 * A process's namespaces (Linux's nsproxy, with its user namespace): the UTS names, the IPC
 * objects and the mount table jlx keeps per namespace, and the cgroup namespace as an identity
 * (every process is in the root cgroup, so a new one's root is the same). The network, pid, user
 * and time namespaces are the run's, one each, shown but never made anew. Immutable: unshare and
 * setns give the process a new set.
 */
public record Namespaces(Namespace net, Uts uts, Ipc ipc, Namespace pid, Namespace user, Mnt mnt,
        Namespace cgroup, Namespace time) {
    /** The inode numbers of Linux's initial namespaces (PROC_*_INIT_INO of proc_ns.h). */
    private static final long IPC_INIT_INO = 0xEFFFFFFFL;
    private static final long UTS_INIT_INO = 0xEFFFFFFEL;
    private static final long USER_INIT_INO = 0xEFFFFFFDL;
    private static final long PID_INIT_INO = 0xEFFFFFFCL;
    private static final long CGROUP_INIT_INO = 0xEFFFFFFBL;
    private static final long TIME_INIT_INO = 0xEFFFFFFAL;
    /** PROC_DYNAMIC_FIRST: the initial network and mount namespaces take the first two dynamic numbers. */
    static final long DYNAMIC_FIRST = 0xF0000000L;
    /** The device nsfs's files are on (an internal mount, as Linux's 0:4). */
    private static final long NSFS_DEV = 4;
    /** NSFS_MAGIC of linux/magic.h. */
    private static final long NSFS_MAGIC = 0x6e736673L;

    /**
     * One namespace: its kind ("uts", as its link names it), type (its CLONE_NEW* flag), inode
     * number, and the name of its /proc/PID/ns entry (the kind, or "pid_for_children").
     */
    public static class Namespace {
        private final String kind;
        private final long type;
        private final long ino;
        private final String entry;

        Namespace(String kind, long type, long ino) {
            this(kind, type, ino, kind);
        }

        private Namespace(String kind, long type, long ino, String entry) {
            this.kind = kind;
            this.type = type;
            this.ino = ino;
            this.entry = entry;
        }

        public String kind() {
            return kind;
        }

        /** The name of its link in /proc/PID/ns. */
        public String entry() {
            return entry;
        }

        /** The CLONE_NEW* flag of this kind (pid_for_children's is CLONE_NEWPID, as Linux's ns type). */
        public long type() {
            return type;
        }

        public long ino() {
            return ino;
        }

        /** What /proc/PID/ns/KIND names: "uts:[4026531838]". */
        public ByteString link() {
            return ByteString.of(kind + ":[" + ino + "]");
        }
    }

    /**
     * A UTS namespace: the names sethostname and setdomainname set and uname shows. The node name
     * starts as the host's (null until set), the domain name as Linux's "(none)".
     */
    public static final class Uts extends Namespace {
        private final Supplier<String> hostName;
        private volatile String nodename;
        private volatile String domainname;

        Uts(long ino, Supplier<String> hostName, String nodename, String domainname) {
            super("uts", CloneFlags.CLONE_NEWUTS, ino);
            this.hostName = hostName;
            this.nodename = nodename;
            this.domainname = domainname;
        }

        public String nodename() {
            String n = nodename;
            return n != null ? n : hostName.get();
        }

        public void setNodename(String name) {
            nodename = name;
        }

        public String domainname() {
            return domainname;
        }

        public void setDomainname(String name) {
            domainname = name;
        }
    }

    /** An IPC namespace: its System V objects and POSIX message queues. */
    public static final class Ipc extends Namespace {
        private final IpcNamespace objects;

        Ipc(long ino, IpcNamespace objects) {
            super("ipc", CloneFlags.CLONE_NEWIPC, ino);
            this.objects = objects;
        }

        public IpcNamespace objects() {
            return objects;
        }
    }

    /** A mount namespace: its mount table (the process's own view may be a chroot's of it). */
    public static final class Mnt extends Namespace {
        private final dev.jlx.core.fs.Vfs vfs;

        Mnt(long ino, dev.jlx.core.fs.Vfs vfs) {
            super("mnt", CloneFlags.CLONE_NEWNS, ino);
            this.vfs = vfs;
        }

        public dev.jlx.core.fs.Vfs vfs() {
            return vfs;
        }
    }

    /** The namespaces of a run's first process: the machine's IPC namespace, the others the run's. */
    static Namespaces initial(Supplier<String> hostName, IpcNamespace ipc, dev.jlx.core.fs.Vfs vfs) {
        return new Namespaces(new Namespace("net", CloneFlags.CLONE_NEWNET, DYNAMIC_FIRST),
                new Uts(UTS_INIT_INO, hostName, null, "(none)"), new Ipc(IPC_INIT_INO, ipc),
                new Namespace("pid", CloneFlags.CLONE_NEWPID, PID_INIT_INO),
                new Namespace("user", CloneFlags.CLONE_NEWUSER, USER_INIT_INO),
                new Mnt(DYNAMIC_FIRST + 1, vfs),
                new Namespace("cgroup", CloneFlags.CLONE_NEWCGROUP, CGROUP_INIT_INO),
                new Namespace("time", CloneFlags.CLONE_NEWTIME, TIME_INIT_INO));
    }

    /** The namespaces jlx makes anew for unshare and clone (create_new_namespaces). */
    public static final long SERVED = CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_NEWUTS | CloneFlags.CLONE_NEWIPC
            | CloneFlags.CLONE_NEWCGROUP;

    /**
     * create_new_namespaces: copies of these with new ones of the kinds in {@code flags} (of
     * {@link #SERVED}): a mount namespace with a copy of the table {@code view} is in, a UTS
     * namespace with the caller's names, an empty IPC namespace, a cgroup one.
     */
    public Namespaces unshared(Kernel kernel, long flags, dev.jlx.core.fs.Vfs view) {
        Mnt m = mnt;
        if ((flags & CloneFlags.CLONE_NEWNS) != 0) {
            m = new Mnt(kernel.newNamespaceInode(), view.unshared().namespaceRoot());
        }
        Uts u = uts;
        if ((flags & CloneFlags.CLONE_NEWUTS) != 0) {
            u = new Uts(kernel.newNamespaceInode(), u.hostName, u.nodename, u.domainname);
        }
        Ipc i = ipc;
        if ((flags & CloneFlags.CLONE_NEWIPC) != 0) {
            i = new Ipc(kernel.newNamespaceInode(), new IpcNamespace(kernel.host().memory()));
        }
        Namespace c = cgroup;
        if ((flags & CloneFlags.CLONE_NEWCGROUP) != 0) {
            c = new Namespace("cgroup", CloneFlags.CLONE_NEWCGROUP, kernel.newNamespaceInode());
        }
        return new Namespaces(net, u, i, pid, user, m, c, time);
    }

    /** These with {@code ns} in its kind's place (setns). */
    public Namespaces joined(Namespace ns) {
        return new Namespaces(net, ns instanceof Uts u ? u : uts, ns instanceof Ipc i ? i : ipc, pid, user,
                ns instanceof Mnt m ? m : mnt,
                ns.type() == CloneFlags.CLONE_NEWCGROUP ? ns : cgroup, time);
    }

    /**
     * /proc/PID/ns's links in Linux's order (ns_entries): the *_for_children ones name what the
     * process's children get, the same as its own in jlx.
     */
    public List<Namespace> entries() {
        Namespace pidForChildren = new Namespace("pid", CloneFlags.CLONE_NEWPID, pid.ino(), "pid_for_children");
        Namespace timeForChildren = new Namespace("time", CloneFlags.CLONE_NEWTIME, time.ino(), "time_for_children");
        return List.of(net, uts, ipc, pid, pidForChildren, user, mnt, cgroup, time, timeForChildren);
    }

    /** An open /proc/PID/ns file (nsfs): it names its namespace for setns, and reads nothing. */
    public static final class NsFile extends SyntheticFile {
        private final Namespace ns;

        public NsFile(Namespace ns) {
            this.ns = ns;
        }

        public Namespace namespace() {
            return ns;
        }

        /** What stat of the namespace's file shows: a regular file, read-only, numbered as the namespace. */
        public static HostStat stat(Namespace ns) {
            return new HostStat(NSFS_DEV, ns.ino(), dev.jlx.abi.FileMode.S_IFREG | 0444, 1, 0, 0, 0, 0, 4096, 0, 0,
                    0, 0, 0, 0, 0);
        }

        @Override
        public ByteString anonymousName() {
            return ns.link();
        }

        @Override
        public int read(MemorySegment dst) throws ErrnoException {
            throw new ErrnoException(Errno.EINVAL);
        }

        @Override
        public int write(MemorySegment src) throws ErrnoException {
            throw new ErrnoException(Errno.EINVAL);
        }

        @Override
        public int pread(MemorySegment dst, long offset) throws ErrnoException {
            throw new ErrnoException(Errno.EINVAL);
        }

        @Override
        public int pwrite(MemorySegment src, long offset) throws ErrnoException {
            throw new ErrnoException(Errno.EINVAL);
        }

        @Override
        public long seek(long offset, int whence) throws ErrnoException {
            throw new ErrnoException(Errno.ESPIPE);
        }

        @Override
        public HostStat stat() {
            return stat(ns);
        }

        @Override
        public void utimens(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws ErrnoException {
            throw new ErrnoException(Errno.EPERM);
        }

        @Override
        public void allocate(int mode, long offset, long length) throws ErrnoException {
            throw new ErrnoException(Errno.ENODEV);
        }

        @Override
        public int bytesReadable() {
            return 0;
        }

        @Override
        public HostStatfs statfs() {
            return new HostStatfs(NSFS_MAGIC, 4096, 0, 0, 0, 0, 0, 0, 255, 4096, 0);
        }
    }
}
