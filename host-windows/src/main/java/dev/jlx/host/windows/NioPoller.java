package dev.jlx.host.windows;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The JVM's one {@link Selector} for the java.nio host network, and its daemon thread (what the
 * posix backend's epoll thread is to its sockets). A socket registers its channel with the
 * operations it waits for; when one fires the socket is told ({@link Target#fired}, on this
 * thread), takes what is ready (the data, the connection, the connect's end) and drops the
 * operations that would fire again at once: a selector is level-triggered, so an operation stays
 * in the interest set only while the socket would want to hear of new readiness.
 *
 * <p>Interest changes and registrations made on other threads take effect at the next selection,
 * so those that add an operation wake the selector ({@link #changed}); so does a close, since a
 * registered channel is closed for good only when the selector lets go of its key.
 */
final class NioPoller {
    private static final System.Logger LOG = System.getLogger("dev.jlx.host.windows");
    private static volatile NioPoller instance;

    /** What a registered channel's key carries. */
    interface Target {
        /** The channel is ready for {@code readyOps} (on the poller's thread, which must not block). */
        void fired(SelectionKey key, int readyOps);
    }

    private final Selector selector;
    private final Thread thread;

    private NioPoller(Selector selector) {
        this.selector = selector;
        this.thread = new Thread(this::run, "jlx-nio-poller");
        thread.setDaemon(true);
        thread.start();
    }

    /** The JVM's poller, made on first use; null when the JDK gives no selector. */
    static NioPoller get() {
        NioPoller p = instance;
        if (p == null) {
            synchronized (NioPoller.class) {
                p = instance;
                if (p == null) {
                    try {
                        p = instance = new NioPoller(Selector.open());
                    } catch (IOException e) {
                        LOG.log(System.Logger.Level.WARNING, "no selector for the host network's readiness", e);
                        return null;
                    }
                }
            }
        }
        return p;
    }

    /** Registers {@code channel} (non-blocking) for {@code ops}; null when it is closed already. */
    SelectionKey register(SelectableChannel channel, int ops, Target target) {
        try {
            SelectionKey k = channel.register(selector, ops, target);
            selector.wakeup();
            return k;
        } catch (ClosedChannelException | CancelledKeyException e) {
            return null;
        }
    }

    /**
     * Sets {@code key}'s interest to {@code ops}, which were {@code old}: the selector is woken when
     * an operation was added from another thread (a removed one firing once more does no harm).
     */
    void changed(SelectionKey key, int old, int ops) {
        try {
            key.interestOps(ops);
        } catch (CancelledKeyException e) {
            return;
        }
        if ((ops & ~old) != 0 && Thread.currentThread() != thread) {
            selector.wakeup();
        }
    }

    /** A registered channel was closed: the selector lets go of it (and the host socket closes) now. */
    void closed() {
        selector.wakeup();
    }

    private void run() {
        while (true) {
            try {
                selector.select();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "the host network's selector failed", e);
                return;
            }
            for (SelectionKey k : selector.selectedKeys()) {
                int ready;
                try {
                    ready = k.readyOps();
                } catch (CancelledKeyException e) {
                    continue;
                }
                try {
                    ((Target) k.attachment()).fired(k, ready);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "a host socket's readiness handler failed", e);
                }
            }
            selector.selectedKeys().clear();
        }
    }
}
