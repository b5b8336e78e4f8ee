package dev.jlx.host.windows;

import dev.jlx.core.host.HostMemory;
import dev.jlx.core.host.HostMemoryContract;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Windows' virtual memory as guest pages: only on a Windows host (the GitHub workflow's windows-latest). */
@EnabledOnOs(OS.WINDOWS)
class WindowsHostMemoryTest extends HostMemoryContract {
    @Override
    protected HostMemory memory() {
        return new WindowsHostMemory();
    }
}
