package dev.jlx.core.tty;

import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;

/** The metadata of the node a terminal file was opened by, as fstat shows it (looked up at each call). */
@FunctionalInterface
public interface NodeStat {
    HostStat get() throws ErrnoException;
}
