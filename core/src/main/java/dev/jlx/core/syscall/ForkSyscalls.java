package dev.jlx.core.syscall;

import static dev.jlx.abi.CloneFlags.CLONE_CHILD_CLEARTID;
import static dev.jlx.abi.CloneFlags.CLONE_CHILD_SETTID;
import static dev.jlx.abi.CloneFlags.CLONE_PARENT_SETTID;
import static dev.jlx.abi.CloneFlags.CLONE_SETTLS;
import static dev.jlx.abi.CloneFlags.CLONE_VFORK;
import static dev.jlx.abi.CloneFlags.CLONE_VM;
import static dev.jlx.abi.CloneFlags.CSIGNAL;

import dev.jlx.abi.CloneFlags;
import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.Signals;
import dev.jlx.abi.Wait;
import dev.jlx.abi.struct.CloneArgs;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.kernel.Exec;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import dev.jlx.core.kernel.Namespaces;
import dev.jlx.core.kernel.PidFd;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The process tree: fork, vfork, clone, execve, wait4, waitid, process groups and sessions. */
final class ForkSyscalls {
    /** The clone flags jlx honours for a new process, with the namespaces; sharing between processes is EINVAL. */
    private static final long SUPPORTED = CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_SETTLS | CLONE_PARENT_SETTID
            | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CloneFlags.CLONE_CLEAR_SIGHAND | CloneFlags.CLONE_PIDFD;
    /** The flags a new thread may add (pthread_create passes them; CLONE_DETACHED is ignored, as Linux does). */
    private static final long THREAD_FLAGS = CloneFlags.CLONE_THREAD | CloneFlags.CLONE_SIGHAND
            | CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES | CloneFlags.CLONE_SYSVSEM | CloneFlags.CLONE_DETACHED;

    private ForkSyscalls() {}

    /** The namespaces unshare and clone know, apart from the user namespace. */
    private static final long NAMESPACES = CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_NEWUTS | CloneFlags.CLONE_NEWIPC
            | CloneFlags.CLONE_NEWNET | CloneFlags.CLONE_NEWPID | CloneFlags.CLONE_NEWCGROUP | CloneFlags.CLONE_NEWTIME;
    /** What a thread shares with the other threads of its process in jlx: Linux's fs, files and undo list. */
    private static final long PROCESS_WIDE = CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES | CloneFlags.CLONE_SYSVSEM;

    /**
     * Implements Linux syscall unshare(2) with ksys_unshare's checks in order. jlx's processes share
     * nothing with one another, so for a process of one thread CLONE_THREAD, SIGHAND, VM, FS and FILES
     * have nothing to unshare; CLONE_SYSVSEM (and CLONE_NEWIPC with it) applies the SEM_UNDO
     * adjustments and starts a new list, as exit does. A process of several threads keeps one root,
     * working directory, descriptor table, undo list and set of namespaces for all (EINVAL, Linux
     * would split them). With CAP_SYS_ADMIN, new mount, UTS, IPC and cgroup namespaces
     * ({@link Namespaces#unshared}); the pid, network and time namespaces stay the run's (EPERM, as
     * for a container). CLONE_NEWUSER is EINVAL, as a kernel without user namespaces.
     */
    static long unshare(GuestThread t, Args a) throws ErrnoException {
        long flags = a.u64(0);
        if ((flags & CloneFlags.CLONE_NEWUSER) != 0) {
            flags |= CloneFlags.CLONE_THREAD | CloneFlags.CLONE_FS;
        }
        if ((flags & CLONE_VM) != 0) {
            flags |= CloneFlags.CLONE_SIGHAND;
        }
        if ((flags & CloneFlags.CLONE_SIGHAND) != 0) {
            flags |= CloneFlags.CLONE_THREAD;
        }
        if ((flags & CloneFlags.CLONE_NEWNS) != 0) {
            flags |= CloneFlags.CLONE_FS;
        }
        if ((flags & CloneFlags.CLONE_NEWIPC) != 0) {
            flags |= CloneFlags.CLONE_SYSVSEM;
        }
        long known = CloneFlags.CLONE_THREAD | CloneFlags.CLONE_SIGHAND | CLONE_VM | PROCESS_WIDE | NAMESPACES
                | CloneFlags.CLONE_NEWUSER;
        if ((flags & ~known) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess p = t.process();
        boolean alone = p.threadSnapshot().size() == 1;
        if ((flags & (CloneFlags.CLONE_THREAD | CloneFlags.CLONE_SIGHAND | CLONE_VM)) != 0 && !alone) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & (PROCESS_WIDE | NAMESPACES)) != 0 && !alone) {
            p.kernel().warnOnce("unshare-threads", "unshare of CLONE_FS, CLONE_FILES, CLONE_SYSVSEM or a namespace "
                    + "by a thread of a multi-threaded process: jlx keeps them per process: EINVAL");
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & CloneFlags.CLONE_NEWUSER) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        checkNewNamespaces(p, flags & NAMESPACES);
        if ((flags & CloneFlags.CLONE_SYSVSEM) != 0) {
            p.ipc().sem().exit(p);
        }
        enterNew(p, flags & NAMESPACES);
        return 0;
    }

    /**
     * The process enters new namespaces of the kinds in {@code namespaces}; with a new mount
     * namespace its root and working directory are the same places in the copy (copy_mnt_ns).
     */
    private static void enterNew(GuestProcess p, long namespaces) {
        if (namespaces == 0) {
            return;
        }
        Namespaces ns = p.namespaces().unshared(p.kernel(), namespaces, p.vfs());
        p.setNamespaces(ns);
        if ((namespaces & CloneFlags.CLONE_NEWNS) != 0) {
            p.changeRoot(p.vfs().viewIn(ns.mnt().vfs()), cwd -> cwd);
        }
    }

    /**
     * create_new_namespaces' permission: CAP_SYS_ADMIN, else EPERM. The namespaces jlx does not make
     * (pid, network, time: one each per run) are EPERM too, as a container would answer.
     */
    private static void checkNewNamespaces(GuestProcess p, long namespaces) throws ErrnoException {
        if (namespaces == 0) {
            return;
        }
        if (!p.credentials().capable(GuestProcess.CAP_SYS_ADMIN)) {
            throw new ErrnoException(Errno.EPERM);
        }
        if ((namespaces & ~Namespaces.SERVED) != 0) {
            p.kernel().warnOnce("new-namespace", "new pid, network or time namespaces are not supported: EPERM");
            throw new ErrnoException(Errno.EPERM);
        }
    }

    /**
     * Implements Linux syscall setns(2) in its order of checks: a /proc/PID/ns file joins its
     * namespace (the flags 0 or its kind, else EINVAL), a pidfd the namespaces of its process that
     * the flags name (check_setns_flags; CLONE_NEWUSER EINVAL, as a kernel without user namespaces).
     * Each install needs CAP_SYS_ADMIN (EPERM), the mount namespace also CAP_SYS_CHROOT and moves
     * root and working directory to its root; joining a user namespace one is in is EINVAL, a time
     * namespace from a process of several threads EUSERS. A process of several threads that would
     * change a namespace is EINVAL (jlx keeps them per process).
     */
    static long setns(GuestThread t, Args a) throws ErrnoException {
        GuestProcess p = t.process();
        dev.jlx.core.fs.OpenFile f = p.fds().get(a.fd(0));
        if ((f.statusFlags() & dev.jlx.abi.OpenFlags.O_PATH) != 0) {
            // fdget: an O_PATH descriptor is none here.
            throw new ErrnoException(Errno.EBADF);
        }
        long flags = Integer.toUnsignedLong(a.i32(1));
        List<Namespaces.Namespace> join = new ArrayList<>();
        if (f instanceof dev.jlx.core.fs.VfsFile v && v.ops() instanceof Namespaces.NsFile ns) {
            long type = ns.namespace().type();
            if (flags != 0 && flags != type) {
                throw new ErrnoException(Errno.EINVAL);
            }
            join.add(ns.namespace());
        } else if (f instanceof PidFd pidfd) {
            if (flags == 0 || (flags & ~(NAMESPACES | CloneFlags.CLONE_NEWUSER)) != 0
                    || (flags & CloneFlags.CLONE_NEWUSER) != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            GuestProcess target = pidfd.process();
            if (target.zombie() || pidfd.reaped()) {
                throw new ErrnoException(Errno.ESRCH);
            }
            Namespaces of = target.namespaces();
            // validate_nsset's order.
            for (Namespaces.Namespace ns : List.of(of.mnt(), of.uts(), of.ipc(), of.pid(), of.cgroup(), of.net(),
                    of.time())) {
                if ((flags & ns.type()) != 0) {
                    join.add(ns);
                }
            }
        } else {
            throw new ErrnoException(Errno.EINVAL);
        }
        boolean alone = p.threadSnapshot().size() == 1;
        Namespaces now = p.namespaces();
        Namespaces next = now;
        for (Namespaces.Namespace ns : join) {
            long type = ns.type();
            if (type == CloneFlags.CLONE_NEWUSER) {
                // userns_install: the one user namespace is the caller's own.
                throw new ErrnoException(Errno.EINVAL);
            }
            if (type == CloneFlags.CLONE_NEWTIME && !alone) {
                throw new ErrnoException(Errno.EUSERS);
            }
            if (!p.credentials().capable(GuestProcess.CAP_SYS_ADMIN) || type == CloneFlags.CLONE_NEWNS
                    && !p.credentials().capable(GuestProcess.CAP_SYS_CHROOT)) {
                throw new ErrnoException(Errno.EPERM);
            }
            if (type == CloneFlags.CLONE_NEWNS && !alone) {
                // mntns_install: the fs_struct is shared with the other threads.
                throw new ErrnoException(Errno.EINVAL);
            }
            next = next.joined(ns);
        }
        if (!alone && !next.equals(now)) {
            p.kernel().warnOnce("setns-threads", "setns by a thread of a multi-threaded process: jlx keeps "
                    + "namespaces per process: EINVAL");
            throw new ErrnoException(Errno.EINVAL);
        }
        if (join.stream().anyMatch(ns -> ns.type() == CloneFlags.CLONE_NEWIPC)) {
            // commit_nsset: the undo list belongs to the IPC namespace left.
            p.ipc().sem().exit(p);
        }
        if (join.stream().anyMatch(ns -> ns.type() == CloneFlags.CLONE_NEWNS)) {
            // mntns_install: root and working directory become the namespace's root.
            p.changeRoot(next.mnt().vfs(), cwd -> ByteString.ROOT);
        }
        p.setNamespaces(next);
        return 0;
    }

    /** Implements Linux syscall fork(2). */
    static long fork(GuestThread t, Args a) throws ErrnoException {
        return cloneProcess(t, Signals.SIGCHLD, 0, 0, 0, 0, Signals.SIGCHLD, 0);
    }

    /** Implements Linux syscall vfork(2): the child borrows the memory; the parent waits for its exec or exit. */
    static long vfork(GuestThread t, Args a) throws ErrnoException {
        return cloneProcess(t, CLONE_VM | CLONE_VFORK, 0, 0, 0, 0, Signals.SIGCHLD, 0);
    }

    /** Implements Linux syscall clone(2) (x86-64 order: flags, stack, parent_tid, child_tid, tls). */
    static long clone(GuestThread t, Args a) throws ErrnoException {
        long flags = a.u64(0);
        // CLONE_PIDFD's descriptor goes where parent_tid points, so the two cannot come together.
        if ((flags & CloneFlags.CLONE_PIDFD) != 0 && (flags & CLONE_PARENT_SETTID) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return cloneProcess(t, flags & ~CSIGNAL & 0xffffffffL, a.addr(1), a.addr(2), a.addr(3), a.raw(4),
                (int) (flags & CSIGNAL), a.addr(2));
    }

    /** MAX_PID_NS_LEVEL: the most pids set_tid may name, one per pid namespace level. */
    private static final int MAX_SET_TID = 32;
    /** CLONE_LEGACY_FLAGS: clone's 32 flag bits; clone3 adds the ones above. */
    private static final long LEGACY_FLAGS = 0xffffffffL;

    /**
     * Implements Linux syscall clone3(2): struct clone_args, version 0 and later, checked in Linux's
     * order (copy_clone_args_from_user, then clone3_args_valid). A set_tid of one pid, which Linux
     * gives a privileged caller, is EINVAL.
     */
    static long clone3(GuestThread t, Args a) throws ErrnoException {
        long size = a.u64(1);
        if (Long.compareUnsigned(size, AddressSpace.PAGE) > 0) {
            throw new ErrnoException(Errno.E2BIG);
        }
        if (size < CloneFlags.CLONE_ARGS_SIZE_VER0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory mem = t.process().space().memory();
        int known = (int) Math.min(size, CloneArgs.SIZE);
        if (size > known) {
            // Fields of a newer struct than jlx knows must be zero: E2BIG, or EFAULT for a fault
            // before the first that is not (copy_struct_from_user looks at those first).
            for (long at = a.addr(0) + known; at < a.addr(0) + size; at++) {
                if (mem.readByte(at) != 0) {
                    throw new ErrnoException(Errno.E2BIG);
                }
            }
        }
        CloneArgs c = CloneArgs.readFrom(mem.readStruct(a.addr(0), known), 0, known);
        if (Long.compareUnsigned(c.setTidSize(), MAX_SET_TID) > 0 || (c.setTid() == 0) != (c.setTidSize() == 0)
                || (c.exitSignal() & ~(long) CSIGNAL) != 0 || c.exitSignal() > Signals.NSIG
                || (c.flags() & CloneFlags.CLONE_INTO_CGROUP) != 0 && (size < CloneFlags.CLONE_ARGS_SIZE_VER2
                        || Long.compareUnsigned(c.cgroup(), Integer.MAX_VALUE) > 0)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (c.setTid() != 0) {
            mem.read(c.setTid(), (int) c.setTidSize() * 4);
        }
        long flags = c.flags();
        if ((flags & ~(LEGACY_FLAGS | CloneFlags.CLONE_CLEAR_SIGHAND | CloneFlags.CLONE_INTO_CGROUP)) != 0
                || (flags & (CloneFlags.CLONE_DETACHED | (CSIGNAL & ~CloneFlags.CLONE_NEWTIME))) != 0
                || (flags & CloneFlags.CLONE_SIGHAND) != 0 && (flags & CloneFlags.CLONE_CLEAR_SIGHAND) != 0
                || (flags & (CloneFlags.CLONE_THREAD | CloneFlags.CLONE_PARENT)) != 0 && c.exitSignal() != 0
                || !stackValid(c)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (c.setTidSize() > 1) {
            // alloc_pid: more pids than pid namespace levels (jlx has one).
            throw new ErrnoException(Errno.EINVAL);
        }
        if (c.setTidSize() != 0) {
            throw unsupported(t, "clone3 set_tid");
        }
        if ((flags & CloneFlags.CLONE_INTO_CGROUP) != 0) {
            // jlx mounts no cgroup2 file system, so no descriptor names a cgroup: cgroup_get_from_file
            // refuses whatever it is given, open or not, with EBADF.
            throw new ErrnoException(Errno.EBADF);
        }
        if ((flags & CloneFlags.CLONE_PIDFD) != 0 && (flags & CLONE_PARENT_SETTID) != 0
                && c.pidfd() == c.parentTid()) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return cloneProcess(t, flags, c.stack() == 0 ? 0 : c.stack() + c.stackSize(), c.parentTid(), c.childTid(),
                c.tls(), (int) c.exitSignal(), c.pidfd());
    }

    /** clone3_stack_valid: a stack and its size come together, inside the user address space. */
    private static boolean stackValid(CloneArgs c) {
        if (c.stack() == 0 || c.stackSize() == 0) {
            return c.stack() == 0 && c.stackSize() == 0;
        }
        try {
            GuestMemory.accessOk(c.stack(), c.stackSize());
            return true;
        } catch (ErrnoException outside) {
            return false;
        }
    }

    private static ErrnoException unsupported(GuestThread t, String what) {
        t.process().kernel().warnOnce("clone:" + what, "clone with " + what + " is not supported: EINVAL");
        return new ErrnoException(Errno.EINVAL);
    }

    /**
     * A new process: with CLONE_VM only as vfork does it (the parent waits, so the two never run
     * on the memory at once), else with a copy of the caller's memory. The child returns 0 from the
     * same syscall, on {@code stack} when given.
     */
    private static long cloneProcess(GuestThread t, long flags, long stack, long parentTid, long childTid, long tls,
            int exitSignal, long pidfdAddr) throws ErrnoException {
        if ((flags & CloneFlags.CLONE_THREAD) != 0 && (flags & CloneFlags.CLONE_SIGHAND) == 0
                || (flags & CloneFlags.CLONE_SIGHAND) != 0 && (flags & CLONE_VM) == 0
                || (flags & CloneFlags.CLONE_NEWNS) != 0 && (flags & CloneFlags.CLONE_FS) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & CloneFlags.CLONE_THREAD) != 0) {
            if ((flags & CloneFlags.CLONE_PIDFD) != 0) {
                throw unsupported(t, "CLONE_PIDFD for a thread");
            }
            return cloneThread(t, flags, stack, parentTid, childTid, tls);
        }
        if ((flags & ~(SUPPORTED | NAMESPACES)) != 0) {
            throw unsupported(t, "flags 0x" + Long.toHexString(flags & ~(SUPPORTED | NAMESPACES)));
        }
        if ((flags & CLONE_VM) != 0 && (flags & CLONE_VFORK) == 0) {
            throw unsupported(t, "CLONE_VM without CLONE_VFORK");
        }
        if (exitSignal < 0 || exitSignal > Signals.NSIG) {
            throw new ErrnoException(Errno.EINVAL);
        }
        // copy_namespaces, before the pidfd's store.
        checkNewNamespaces(t.process(), flags & NAMESPACES);
        boolean vfork = (flags & CLONE_VFORK) != 0;
        boolean pidfd = (flags & CloneFlags.CLONE_PIDFD) != 0;
        if (pidfd) {
            // Linux stores the pidfd before the child exists: a bad address is EFAULT and no child.
            GuestMemory mem = t.process().space().memory();
            mem.writeInt(pidfdAddr, mem.readInt(pidfdAddr));
        }
        long[] regs = t.args().regs;
        GuestProcess child = t.process().fork(t, vfork, (flags & CLONE_VM) != 0, exitSignal, regs[7] + 2, regs[8],
                stack, (flags & CLONE_SETTLS) != 0 ? tls : -1);
        GuestThread ct = child.mainThread();
        enterNew(child, flags & NAMESPACES);
        if ((flags & CloneFlags.CLONE_CLEAR_SIGHAND) != 0) {
            child.signalActions().flushHandlers();
        }
        if ((flags & CLONE_CHILD_SETTID) != 0) {
            setTid(child.space().memory(), childTid, child.pid());
        }
        if ((flags & CLONE_CHILD_CLEARTID) != 0) {
            ct.setClearChildTid(childTid);
        }
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            setTid(t.process().space().memory(), parentTid, child.pid());
        }
        if (pidfd) {
            // In the parent's table only: the child's copy was made before (copy_files comes first).
            t.process().space().memory().writeInt(pidfdAddr, PidFdSyscalls.install(t.process(), child, 0));
        }
        // PTRACE_O_TRACEFORK and the like: the child is traced from its first instruction.
        int event = t.tracee() == null ? 0 : t.process().kernel().ptrace().forked(t, ct, vfork,
                exitSignal != Signals.SIGCHLD);
        child.start();
        if (event != 0) {
            t.process().kernel().ptrace().event(t, event, child.pid(), true);
        }
        if (vfork) {
            // The child runs on this memory meanwhile: it needs the run token.
            t.process().space().runToken().releasedDuring(child::awaitVforkRelease);
        }
        return child.pid();
    }

    /** CLONE_PARENT_SETTID's and CLONE_CHILD_SETTID's store: Linux ignores a fault there (the clone is made). */
    private static void setTid(GuestMemory mem, long address, int tid) {
        try {
            mem.writeInt(address, tid);
        } catch (ErrnoException fault) {
            // As put_user's unchecked result.
        }
    }

    /** A new thread of the caller's process (pthread_create's clone): it shares everything but its registers. */
    private static long cloneThread(GuestThread t, long flags, long stack, long parentTid, long childTid, long tls)
            throws ErrnoException {
        if ((flags & ~(SUPPORTED | THREAD_FLAGS)) != 0 || (flags & CLONE_VFORK) != 0) {
            throw unsupported(t, "thread flags 0x" + Long.toHexString(flags & ~(SUPPORTED | THREAD_FLAGS)));
        }
        long[] regs = t.args().regs;
        GuestProcess p = t.process();
        GuestThread nt = p.newThread(t, regs[7] + 2, regs[8], stack, (flags & CLONE_SETTLS) != 0 ? tls : -1);
        if ((flags & CloneFlags.CLONE_SYSVSEM) != 0) {
            // copy_semundo: the threads share one undo list, made now if the process had none.
            p.ipc().sem().undoList(p);
        }
        if ((flags & CLONE_CHILD_SETTID) != 0) {
            setTid(p.space().memory(), childTid, nt.tid());
        }
        if ((flags & CLONE_CHILD_CLEARTID) != 0) {
            nt.setClearChildTid(childTid);
        }
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            setTid(p.space().memory(), parentTid, nt.tid());
        }
        int event = t.tracee() == null ? 0 : p.kernel().ptrace().forked(t, nt, false, true);
        p.startThread(nt, regs[7] + 2);
        if (event != 0) {
            p.kernel().ptrace().event(t, event, nt.tid(), true);
        }
        return nt.tid();
    }

    /** MAX_ARG_STRLEN: the longest single argument or environment string, NUL included. */
    private static final int MAX_ARG_STRLEN = 32 * 4096;
    /** The most argument and environment pointers execve reads (MAX_ARG_STRINGS). */
    private static final int MAX_ARG_STRINGS = 0x7fffffff;

    /** Implements Linux syscall execve(2). */
    static long execve(GuestThread t, Args a) throws ErrnoException {
        return execAt(t, Fcntl.AT_FDCWD, a.addr(0), a.addr(1), a.addr(2), 0);
    }

    /** Implements Linux syscall execveat(2): AT_EMPTY_PATH and AT_SYMLINK_NOFOLLOW. */
    static long execveat(GuestThread t, Args a) throws ErrnoException {
        return execAt(t, a.fd(0), a.addr(1), a.addr(2), a.addr(3), a.i32(4));
    }

    private static long execAt(GuestThread t, int dirfd, long pathAddr, long argvAddr, long envpAddr, int flags)
            throws ErrnoException {
        if ((flags & ~(Fcntl.AT_EMPTY_PATH | Fcntl.AT_SYMLINK_NOFOLLOW)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess p = t.process();
        ByteString path = FileSyscalls.path(t, pathAddr);
        Vfs.Resolved file;
        ByteString name;
        if (path.isEmpty() && (flags & Fcntl.AT_EMPTY_PATH) != 0) {
            if (!(p.fds().get(dirfd) instanceof dev.jlx.core.fs.VfsFile h) || h.guestPath() == null) {
                throw new ErrnoException(Errno.ENOEXEC);
            }
            name = h.guestPath();
            file = p.vfs().resolve(ByteString.ROOT, name, true);
        } else {
            name = path;
            boolean follow = (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0;
            file = FileSyscalls.resolve(t, dirfd, path, follow);
            if (!follow && (file.fs().stat(file.path(), false).mode() & dev.jlx.abi.FileMode.S_IFMT)
                    == dev.jlx.abi.FileMode.S_IFLNK) {
                throw new ErrnoException(Errno.ELOOP);
            }
        }
        // Linux (6.8 on) opens the file before it reads the arguments: ENOENT and EACCES come before EFAULT.
        Exec.checkExecutable(file);
        List<byte[]> argv = strings(t, argvAddr);
        List<byte[]> envp = strings(t, envpAddr);
        long total = 0;
        for (List<byte[]> list : List.of(argv, envp)) {
            for (byte[] s : list) {
                total += s.length + 1 + 8;
            }
        }
        // The strings and their pointers must fit in a quarter of the stack limit, at most 6 MiB (3/4 of
        // _STK_LIM) and at least ARG_MAX, as Linux's bprm_stack_limits has it.
        long quarter = Long.divideUnsigned(p.rlimits().soft(dev.jlx.abi.Resource.RLIMIT_STACK), 4);
        if (total > Math.max(Math.min(quarter, 6L << 20), 32 * 4096)) {
            throw new ErrnoException(Errno.E2BIG);
        }
        if (argv.isEmpty()) {
            // Linux 5.18+ gives a program started with no arguments an empty argv[0].
            argv = List.of(new byte[0]);
        }
        Exec.Loaded loaded;
        try {
            GuestProcess.FsView view = p.fsView();
            loaded = Exec.load(p.kernel().host().memory(), view.vfs(), view.cwd(), file, name, argv, envp,
                    p.credentials());
        } catch (Exec.ExecFailure e) {
            throw new ErrnoException(e.errno());
        }
        // The point of no return: from here on the old image is gone, and so are the other threads.
        p.space().runToken().releasedDuring(() -> p.endOtherThreads(t));
        p.fds().closeOnExec();
        p.execReset();
        t.execAfterStop(loaded);
        return 0;
    }

    /** A NULL-terminated array of string pointers (argv, envp); NULL itself is an empty array. */
    private static List<byte[]> strings(GuestThread t, long address) throws ErrnoException {
        List<byte[]> out = new ArrayList<>();
        if (address == 0) {
            return out;
        }
        GuestMemory mem = t.process().space().memory();
        for (int i = 0; i < MAX_ARG_STRINGS; i++) {
            long s = mem.readLong(address + 8L * i);
            if (s == 0) {
                break;
            }
            try {
                out.add(mem.readCString(s, MAX_ARG_STRLEN - 1));
            } catch (ErrnoException e) {
                throw e.errno() == Errno.ENAMETOOLONG ? new ErrnoException(Errno.E2BIG) : e;
            }
        }
        return out;
    }

    /** Implements Linux syscall wait4(2). */
    static long wait4(GuestThread t, Args a) throws ErrnoException {
        int pid = a.i32(0);
        int options = a.i32(2);
        if ((options & ~(Wait.WNOHANG | Wait.WUNTRACED | Wait.WCONTINUED | Wait.WNOTHREAD | Wait.WALL | Wait.WCLONE))
                != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (pid == Integer.MIN_VALUE) {
            // kernel_wait4: -INT_MIN has no process group to name.
            throw new ErrnoException(Errno.ESRCH);
        }
        GuestProcess p = t.process();
        Report r = awaitChild(p, c -> pid > 0 ? c.pid() == pid : pid == 0 ? c.pgid() == p.pgid()
                : pid == -1 || c.pgid() == -pid, th -> pid > 0 ? th.tid() == pid : pid == 0
                ? th.process().pgid() == p.pgid() : pid == -1 || th.process().pgid() == -pid,
                options | Wait.WEXITED, true);
        if (r == null) {
            return 0;
        }
        GuestMemory mem = p.space().memory();
        if (a.addr(1) != 0) {
            mem.writeInt(a.addr(1), r.status());
        }
        if (a.addr(3) != 0) {
            TimeSyscalls.putChildUsage(mem, a.addr(3), r.child());
        }
        return r.id();
    }

    /**
     * A child's change that wait reports: it ended, stopped or continued, as wait's status word; or
     * a tracee's ({@code traced}), whose id is a thread's.
     */
    private record Report(GuestProcess child, int id, int status, boolean traced) {
        Report(GuestProcess child, int status) {
            this(child, child.pid(), status, false);
        }

        boolean stopped() {
            return (status & 0xff) == 0x7f;
        }

        boolean continued() {
            return status == 0xffff;
        }
    }

    /** Implements Linux syscall waitid(2): P_ALL, P_PID, P_PGID, P_PIDFD; WEXITED, WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT. */
    static long waitid(GuestThread t, Args a) throws ErrnoException {
        int type = a.i32(0);
        int id = a.i32(1);
        int options = a.i32(3);
        if ((options & ~(Wait.WNOHANG | Wait.WEXITED | Wait.WSTOPPED | Wait.WCONTINUED | Wait.WNOWAIT | Wait.WNOTHREAD
                | Wait.WALL | Wait.WCLONE)) != 0 || (options & (Wait.WEXITED | Wait.WSTOPPED | Wait.WCONTINUED)) == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess p = t.process();
        boolean pidfdNonblocking = false;
        java.util.function.Predicate<GuestProcess> which = switch (type) {
            case Wait.P_ALL -> c -> true;
            // kernel_waitid: a pid must be positive, a process group not negative.
            case Wait.P_PID -> {
                if (id <= 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                yield c -> c.pid() == id;
            }
            case Wait.P_PGID -> {
                if (id < 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                yield c -> c.pgid() == (id == 0 ? p.pgid() : id);
            }
            case Wait.P_PIDFD -> {
                if (id < 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                PidFd pidfd = PidFdSyscalls.pidfd(t, id);
                if ((pidfd.statusFlags() & dev.jlx.abi.OpenFlags.O_NONBLOCK) != 0) {
                    pidfdNonblocking = true;
                }
                GuestProcess target = pidfd.process();
                yield c -> c == target;
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        // A tracee is a thread: P_PID names its id, a pidfd its process's leader.
        java.util.function.Predicate<GuestThread> whichTask = type == Wait.P_PID ? th -> th.tid() == id
                : type == Wait.P_PIDFD ? th -> th == th.process().mainThread() && which.test(th.process())
                : th -> which.test(th.process());
        // A nonblocking pidfd waits as WNOHANG does, and finding nothing is EAGAIN (kernel_waitid).
        Report r = awaitChild(p, which, whichTask, pidfdNonblocking ? options | Wait.WNOHANG : options,
                (options & Wait.WNOWAIT) == 0);
        if (r == null && pidfdNonblocking && (options & Wait.WNOHANG) == 0) {
            throw new ErrnoException(Errno.EAGAIN);
        }
        long info = a.addr(2);
        if (info != 0) {
            // All zero when WNOHANG found no child ready.
            ByteBuffer b = GuestMemory.structBuffer(Siginfo.SIZE);
            if (r != null) {
                int code;
                int status;
                if (r.stopped()) {
                    code = r.traced() ? Signals.CLD_TRAPPED : Signals.CLD_STOPPED;
                    status = r.status() >> 8 & 0xff;
                } else if (r.continued()) {
                    code = Signals.CLD_CONTINUED;
                    status = Signals.SIGCONT;
                } else {
                    boolean killed = (r.status() & 0x7f) != 0;
                    code = !killed ? Signals.CLD_EXITED : (r.status() & 0x80) != 0 ? Signals.CLD_DUMPED : Signals.CLD_KILLED;
                    status = killed ? r.status() & 0x7f : r.status() >> 8 & 0xff;
                }
                new Siginfo(Signals.SIGCHLD, 0, code, new Siginfo.Child(r.id(), r.child().credentials().uid(),
                        status, 0, 0)).writeTo(b, 0);
            }
            p.space().memory().writeStruct(info, b);
        }
        if (r != null && a.addr(4) != 0) {
            TimeSyscalls.putChildUsage(p.space().memory(), a.addr(4), r.child());
        }
        return 0;
    }

    /**
     * Waits for a child {@code which} selects to have a change {@code options} asks for (WEXITED: it
     * ended, reaped when {@code consume}; WSTOPPED, WCONTINUED: a stop or continue not yet reported,
     * then marked reported when {@code consume}); null with WNOHANG when none has yet; ECHILD when
     * there is no such child (only children whose exit signal is SIGCHLD count, unless __WALL or
     * __WCLONE); EINTR when a signal interrupts the wait.
     */
    private static Report awaitChild(GuestProcess p, java.util.function.Predicate<GuestProcess> which,
            java.util.function.Predicate<GuestThread> whichTask, int options, boolean consume) throws ErrnoException {
        Kernel kernel = p.kernel();
        boolean stops = (options & Wait.WSTOPPED) != 0;
        boolean continues = (options & Wait.WCONTINUED) != 0;
        boolean interrupted = false;
        synchronized (kernel) {
            while (true) {
                // A tracee's stops are its tracer's whatever WUNTRACED says, and any kind of child (eligible_child).
                boolean[] tracees = {false};
                dev.jlx.core.kernel.Ptrace.Report traced = kernel.ptrace().take(p, whichTask,
                        (options & Wait.WEXITED) != 0, consume, tracees);
                if (traced != null) {
                    return new Report(traced.thread().process(), traced.thread().tid(), traced.status(), true);
                }
                boolean any = tracees[0];
                for (GuestProcess c : p.children()) {
                    boolean cloneChild = c.exitSignal() != Signals.SIGCHLD;
                    boolean kindMatches = (options & Wait.WALL) != 0
                            || cloneChild == ((options & Wait.WCLONE) != 0);
                    if (!kindMatches || !which.test(c)) {
                        continue;
                    }
                    any = true;
                    if (c.zombie()) {
                        if ((options & Wait.WEXITED) == 0 || kernel.ptrace().exitPendingFor(c)) {
                            continue;
                        }
                        if (consume) {
                            c.reap();
                        }
                        return new Report(c, dev.jlx.core.kernel.Ptrace.waitStatus(c.exitStatus()));
                    }
                    int change = c.takeStateChange(stops, continues, consume);
                    if (change != 0) {
                        return new Report(c, change);
                    }
                }
                if (!any) {
                    throw new ErrnoException(Errno.ECHILD);
                }
                if ((options & Wait.WNOHANG) != 0) {
                    return null;
                }
                if (p.exiting() || interrupted) {
                    throw new ErrnoException(Errno.EINTR);
                }
                try {
                    kernel.wait();
                } catch (InterruptedException e) {
                    // A signal: a child that has just changed (its SIGCHLD may be the signal) is still
                    // reported first, as Linux's do_wait looks before it gives up.
                    Thread.currentThread().interrupt();
                    interrupted = true;
                }
            }
        }
    }

    /** Implements Linux syscall getpgrp(2). */
    static long getpgrp(GuestThread t, Args a) {
        return t.process().pgid();
    }

    /** Implements Linux syscall getpgid(2). */
    static long getpgid(GuestThread t, Args a) throws ErrnoException {
        return target(t, a.i32(0)).pgid();
    }

    /** Implements Linux syscall getsid(2). */
    static long getsid(GuestThread t, Args a) throws ErrnoException {
        return target(t, a.i32(0)).sid();
    }

    /** The caller for pid 0, else the live process {@code pid} (ESRCH). */
    private static GuestProcess target(GuestThread t, int pid) throws ErrnoException {
        if (pid == 0) {
            return t.process();
        }
        GuestProcess p = pid < 0 ? null : t.process().kernel().process(pid);
        if (p == null) {
            throw new ErrnoException(Errno.ESRCH);
        }
        return p;
    }

    /**
     * Implements Linux syscall setpgid(2): the caller or one of its children, into a group of the
     * same session or a new group of its own; EPERM for a session leader or another session's
     * group, EACCES for a child that has exec'd (jlx does not track that, see the table).
     */
    static long setpgid(GuestThread t, Args a) throws ErrnoException {
        int pid = a.i32(0);
        int pgid = a.i32(1);
        if (pgid < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess caller = t.process();
        GuestProcess p = pid == 0 ? caller : caller.kernel().process(pid);
        if (p == null || p != caller && p.parent() != caller) {
            throw new ErrnoException(Errno.ESRCH);
        }
        if (p.sid() != caller.sid() || p.sid() == p.pid()) {
            throw new ErrnoException(Errno.EPERM);
        }
        int group = pgid == 0 ? p.pid() : pgid;
        if (group != p.pid()) {
            boolean exists = false;
            for (GuestProcess q : caller.kernel().processes()) {
                exists |= q.pgid() == group && q.sid() == caller.sid();
            }
            if (!exists) {
                throw new ErrnoException(Errno.EPERM);
            }
        }
        p.setPgid(group);
        return 0;
    }

    /** Implements Linux syscall setsid(2): EPERM for a group leader. */
    static long setsid(GuestThread t, Args a) throws ErrnoException {
        GuestProcess p = t.process();
        for (GuestProcess q : p.kernel().processes()) {
            if (q.pgid() == p.pid()) {
                throw new ErrnoException(Errno.EPERM);
            }
        }
        p.newSession();
        return p.pid();
    }
}
