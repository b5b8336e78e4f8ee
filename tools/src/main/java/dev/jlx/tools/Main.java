package dev.jlx.tools;

import dev.jlx.core.cpu.UnicornEngine;
import dev.jlx.core.host.HostBackends;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jlx} command line. */
@Command(name = "jlx", mixinStandardHelpOptions = true, version = "jlx 0.1.0",
        description = "Runs unmodified x86-64 Linux programs on the JVM.",
        subcommands = {RunCommand.class, DiffCommand.class, RootfsCommand.class, SyscallsCommand.class})
public final class Main {
    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("run") || args[0].equals("diff"))) {
            // Start-up work that does not depend on the arguments runs beside the command-line parsing:
            // binding the host backend (jnr generates classes) and the engine library (FFM handles).
            Thread.ofPlatform().daemon().name("jlx-backend-preload").start(Main::preloadBackend);
            UnicornEngine.preloadInBackground();
        }
        int status;
        try {
            status = new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> internalError(e))
                    .execute(args);
        } catch (RuntimeException | Error e) {
            status = internalError(e);
        }
        System.exit(status);
    }

    /** A jlx bug: one line on stderr, the details in the log, status 70 (EX_SOFTWARE). */
    private static int internalError(Throwable e) {
        System.getLogger("dev.jlx").log(System.Logger.Level.ERROR, "internal error", e);
        System.err.println("jlx: internal error: " + e + " (details in " + Logging.logFile() + ")");
        return 70;
    }

    private static void preloadBackend() {
        try {
            HostBackends.get(null);
        } catch (RuntimeException e) {
            // The run reports an unavailable backend itself, in one line.
        }
    }
}
