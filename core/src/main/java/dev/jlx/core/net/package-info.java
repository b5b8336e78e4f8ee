/**
 * Sockets (Linux's net/socket.c and net/core/sock.c): {@link dev.jlx.core.net.SocketFile}, the open
 * file every socket is, with the SOL_SOCKET state all families share, and one subclass per family
 * it serves: {@link dev.jlx.core.net.UnixSocket} keeps AF_UNIX in the JVM.
 */
package dev.jlx.core.net;
