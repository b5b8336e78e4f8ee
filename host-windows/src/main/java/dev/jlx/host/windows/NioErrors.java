package dev.jlx.host.windows;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Locale;

/**
 * Linux errno for what java.nio throws. The JDK says which error a socket call met only through the
 * exception's class and message: on Linux and macOS the message is the C library's strerror text
 * (glibc's "Connection refused"), on Windows the JDK's own table of Winsock errors (net_util_md.c:
 * "Connection refused: connect", "Software caused connection abort") or, from the nio dispatchers,
 * the system's message ("An existing connection was forcibly closed by the remote host", in the
 * language of the system: a Windows in another language gives EIO for those). The class decides
 * where it is specific; otherwise the first text in {@link #TEXTS} the message contains. What is
 * not known is EIO, logged (DESIGN.md rule 4).
 */
final class NioErrors {
    private NioErrors() {}

    private static final System.Logger LOG = System.getLogger("dev.jlx.host.windows");

    /** Message texts (lower case) and their errno, the more specific before the texts they contain. */
    private static final Object[][] TEXTS = {
        {"address already in use", Errno.EADDRINUSE},
        {"cannot assign requested address", Errno.EADDRNOTAVAIL},
        {"requested address is not valid", Errno.EADDRNOTAVAIL},
        {"connection refused", Errno.ECONNREFUSED},
        {"actively refused", Errno.ECONNREFUSED},
        {"connection reset", Errno.ECONNRESET},
        {"forcibly closed", Errno.ECONNRESET},
        {"broken pipe", Errno.EPIPE},
        {"cannot send after socket shutdown", Errno.EPIPE},
        {"software caused connection abort", Errno.ECONNABORTED},
        {"connection was aborted", Errno.ECONNABORTED},
        {"connection timed out", Errno.ETIMEDOUT},
        {"network is unreachable", Errno.ENETUNREACH},
        {"network is down", Errno.ENETDOWN},
        {"no route to host", Errno.EHOSTUNREACH},
        {"host is down", Errno.EHOSTDOWN},
        {"message too long", Errno.EMSGSIZE},
        {"message is larger than", Errno.EMSGSIZE},
        {"permission denied", Errno.EACCES},
        {"access permissions", Errno.EACCES},
        {"operation not permitted", Errno.EPERM},
        {"too many open files", Errno.EMFILE},
        {"no buffer space", Errno.ENOBUFS},
        {"cannot allocate memory", Errno.ENOMEM},
        {"protocol wrong type", Errno.EPROTOTYPE},
        {"no such file", Errno.ENOENT},
        {"protocol not available", Errno.ENOPROTOOPT},
        {"bad protocol option", Errno.ENOPROTOOPT},
        {"address family not supported", Errno.EAFNOSUPPORT},
        {"protocol not supported", Errno.EPROTONOSUPPORT},
        {"operation not supported", Errno.EOPNOTSUPP},
        {"not connected", Errno.ENOTCONN},
        {"already connected", Errno.EISCONN},
        {"invalid argument", Errno.EINVAL},
        {"can't send to port 0", Errno.EINVAL},
        {"socket buffer full", Errno.EAGAIN},
        {"resource temporarily unavailable", Errno.EAGAIN},
    };

    /** The errno of {@code e}. */
    static Errno errno(Exception e) {
        // The exceptions whose class is the answer.
        if (e instanceof PortUnreachableException) {
            return Errno.ECONNREFUSED;
        }
        if (e instanceof NoRouteToHostException) {
            return Errno.EHOSTUNREACH;
        }
        if (e instanceof AlreadyConnectedException) {
            return Errno.EISCONN;
        }
        if (e instanceof ConnectionPendingException) {
            return Errno.EALREADY;
        }
        if (e instanceof NotYetConnectedException) {
            return Errno.ENOTCONN;
        }
        if (e instanceof AlreadyBoundException || e instanceof NotYetBoundException
                || e instanceof IllegalArgumentException) {
            return Errno.EINVAL;
        }
        if (e instanceof UnsupportedAddressTypeException) {
            return Errno.EAFNOSUPPORT;
        }
        if (e instanceof ClosedChannelException) {
            return Errno.EBADF;
        }
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        for (Object[] t : TEXTS) {
            if (m.contains((String) t[0])) {
                return (Errno) t[1];
            }
        }
        if (e instanceof ConnectException) {
            return Errno.ECONNREFUSED;
        }
        if (e instanceof BindException) {
            return Errno.EADDRINUSE;
        }
        LOG.log(System.Logger.Level.WARNING, "a java.nio socket error jlx does not know, given as EIO", e);
        return Errno.EIO;
    }

    static ErrnoException of(Exception e) {
        return new ErrnoException(errno(e));
    }
}
