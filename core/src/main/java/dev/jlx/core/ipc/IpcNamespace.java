package dev.jlx.core.ipc;

import dev.jlx.core.host.HostMemory;

/**
 * A machine's IPC namespace: its System V shared memory, semaphores and message queues, and its POSIX
 * message queues (Linux's {@code struct ipc_namespace}). Every guest process of a machine, in every
 * run, shares it; two machines never do.
 */
public final class IpcNamespace {
    private final SharedMemory shm;
    private final Semaphores sem = new Semaphores();
    private final MessageQueues msg = new MessageQueues();
    private final PosixQueues mqueue = new PosixQueues();

    public IpcNamespace(HostMemory memory) {
        this.shm = new SharedMemory(memory);
    }

    public SharedMemory shm() {
        return shm;
    }

    public Semaphores sem() {
        return sem;
    }

    public MessageQueues msg() {
        return msg;
    }

    public PosixQueues mqueue() {
        return mqueue;
    }
}
