package dev.jlx.core.api;

import java.util.List;

/** Starts one guest process tree for a {@link LinuxMachine} and waits for it. */
final class MachineRun {
    private MachineRun() {}

    static ExitStatus run(LinuxMachine.Config config, List<String> argv) {
        throw new JlxException("jlx: the kernel is not wired up yet", 1);
    }
}
