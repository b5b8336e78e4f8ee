package dev.jlx.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jlx} command line. */
@Command(name = "jlx", mixinStandardHelpOptions = true, version = "jlx 0.1.0",
        description = "Runs unmodified x86-64 Linux programs on the JVM.",
        subcommands = {RunCommand.class, SyscallsCommand.class})
public final class Main {
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("jlx: " + e);
            return 70;
        });
        System.exit(cli.execute(args));
    }
}
