package dev.jlx.host.posix;

import java.lang.foreign.MemorySegment;

/** Joins guest pages into runs: the index of the first and how many, for one copy or write per run. */
final class PageRuns {
    /** Called with runs of pages: the index of the first, and how many. */
    @FunctionalInterface
    interface Action {
        void accept(long first, long count);
    }

    private final Action action;
    private long first = -1;
    private long count;

    PageRuns(Action action) {
        this.action = action;
    }

    /** The runs of pages of {@code m} that the host holds in memory. */
    static void forEachResident(MemorySegment m, Action action) {
        PageRuns runs = new PageRuns(action);
        PosixPages.forEachResident(m.address(), m.byteSize(), page -> runs.page(page, true));
        runs.end();
    }

    void page(long index, boolean in) {
        if (in && first >= 0 && first + count == index) {
            count++;
        } else {
            end();
            if (in) {
                first = index;
                count = 1;
            }
        }
    }

    void end() {
        if (first >= 0) {
            action.accept(first, count);
            first = -1;
        }
    }
}
