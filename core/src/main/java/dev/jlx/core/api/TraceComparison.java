package dev.jlx.core.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the first syscall on which two {@code --trace} outputs of one program differ, after masking
 * what legitimately differs between two runs: addresses, pids and tids, inode and device numbers,
 * times, random bytes. Tasks interleave in a trace as the host schedules them, so the calls are
 * compared task by task, each task named by its place in the tree of tasks ("1.2" is the second task
 * that task 1 created), not by its pid.
 */
final class TraceComparison {
    /** Calls of the same task shown before the differing one. */
    static final int CONTEXT = 4;

    /** A hexadecimal number from 0x10000 up: an address (Linux maps nothing below mmap_min_addr). */
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{5,}");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern PREFIX = Pattern.compile("\\[pid (\\d+)] ");

    /** Fields of printed structs that differ from run to run: where the file lies, and its times. */
    private static final Set<String> VOLATILE_FIELDS = Set.of("st_dev", "st_ino", "st_atime", "st_atime_nsec",
            "st_mtime", "st_mtime_nsec", "st_ctime", "st_ctime_nsec", "stx_ino", "stx_dev_major", "stx_dev_minor",
            "stx_mnt_id", "stx_atime", "stx_btime", "stx_ctime", "stx_mtime");
    /** Calls whose result is a pid or tid. */
    private static final Set<String> PID_RESULT = Set.of("getpid", "getppid", "gettid", "getpgid", "getpgrp",
            "getsid", "setsid", "clone", "clone3", "fork", "vfork", "set_tid_address", "wait4");
    /** Calls that start tasks: a positive result is the new task's tid. */
    private static final Set<String> TASK_START = Set.of("clone", "clone3", "fork", "vfork");
    /** Calls whose arguments at these positions are pids, tids or process groups. */
    private static final Map<String, List<Integer>> PID_ARGS = Map.ofEntries(Map.entry("kill", List.of(0)),
            Map.entry("tkill", List.of(0)), Map.entry("tgkill", List.of(0, 1)), Map.entry("wait4", List.of(0)),
            Map.entry("waitid", List.of(1)), Map.entry("setpgid", List.of(0, 1)), Map.entry("getpgid", List.of(0)),
            Map.entry("getsid", List.of(0)), Map.entry("prlimit64", List.of(0)),
            Map.entry("sched_setaffinity", List.of(0)), Map.entry("sched_getaffinity", List.of(0)),
            Map.entry("sched_setparam", List.of(0)), Map.entry("sched_getparam", List.of(0)),
            Map.entry("sched_setscheduler", List.of(0)), Map.entry("sched_getscheduler", List.of(0)),
            Map.entry("pidfd_open", List.of(0)), Map.entry("rt_sigqueueinfo", List.of(0)),
            Map.entry("rt_tgsigqueueinfo", List.of(0, 1)), Map.entry("get_robust_list", List.of(0)));
    /** Calls whose result is a time (seconds, clock ticks). */
    private static final Set<String> TIME_RESULT = Set.of("time", "times");

    private TraceComparison() {}

    /** One line of a trace: where it stands in the whole trace, the call without its task prefix, masked. */
    private record Line(int index, String raw, String body, String masked) {}

    /** A call as the tracer prints it: {@code name(arg, arg) = result}. */
    private record Call(String name, List<String> args, String result) {}

    /** The first call on which the two traces differ, task by task, earliest in trace {@code a}. */
    static Optional<ProgramDiff.SyscallDifference> firstDifference(List<String> a, List<String> b) {
        Map<String, List<Line>> tasksA = tasks(a);
        Map<String, List<Line>> tasksB = tasks(b);
        ProgramDiff.SyscallDifference first = null;
        long firstPosition = Long.MAX_VALUE;
        List<String> names = new ArrayList<>(tasksA.keySet());
        tasksB.keySet().stream().filter(n -> !tasksA.containsKey(n)).forEach(names::add);
        for (String name : names) {
            List<Line> la = tasksA.getOrDefault(name, List.of());
            List<Line> lb = tasksB.getOrDefault(name, List.of());
            int i = 0;
            while (i < la.size() && i < lb.size() && la.get(i).masked().equals(lb.get(i).masked())) {
                i++;
            }
            if (i == la.size() && i == lb.size()) {
                continue;
            }
            // Where the difference stands in trace a; a task a never ran comes after everything else.
            long position = la.isEmpty() ? Long.MAX_VALUE - 1 : i < la.size() ? 2L * la.get(i).index()
                    : 2L * la.getLast().index() + 1;
            if (position < firstPosition) {
                firstPosition = position;
                first = new ProgramDiff.SyscallDifference(name, i + 1, context(la, i), i < la.size() ? la.get(i).raw()
                        : null, context(lb, i), i < lb.size() ? lb.get(i).raw() : null);
            }
        }
        return Optional.ofNullable(first);
    }

    private static List<String> context(List<Line> lines, int i) {
        return lines.subList(Math.max(0, Math.min(i, lines.size()) - CONTEXT), Math.min(i, lines.size())).stream()
                .map(Line::raw).toList();
    }

    /**
     * The trace's lines by task, tasks named by their place in the task tree and ordered by their first
     * line: the first task (the lines without a {@code [pid N]} prefix) is "1", the n-th task it starts
     * "1.n". A task that no traced call started is named by its pid.
     */
    private static Map<String, List<Line>> tasks(List<String> trace) {
        Map<Integer, List<Line>> byTid = new LinkedHashMap<>();
        for (int i = 0; i < trace.size(); i++) {
            String raw = trace.get(i);
            var m = PREFIX.matcher(raw);
            int tid = 0;
            String body = raw;
            if (m.lookingAt()) {
                tid = Integer.parseInt(m.group(1));
                body = raw.substring(m.end());
            }
            byTid.computeIfAbsent(tid, t -> new ArrayList<>()).add(new Line(i, raw, body, mask(body)));
        }
        Map<String, List<Line>> named = new LinkedHashMap<>();
        Deque<Map.Entry<String, Integer>> work = new ArrayDeque<>(List.of(Map.entry("1", 0)));
        Set<Integer> seen = new java.util.HashSet<>();
        while (!work.isEmpty()) {
            Map.Entry<String, Integer> task = work.poll();
            List<Line> lines = byTid.get(task.getValue());
            if (lines == null || !seen.add(task.getValue())) {
                continue;
            }
            named.put(task.getKey(), lines);
            int children = 0;
            for (Line line : lines) {
                Integer child = startedTask(line.body());
                if (child != null) {
                    children++;
                    work.add(Map.entry(task.getKey() + "." + children, child));
                }
            }
        }
        byTid.forEach((tid, lines) -> {
            if (!seen.contains(tid)) {
                named.put("pid " + tid, lines);
            }
        });
        List<Map.Entry<String, List<Line>>> ordered = new ArrayList<>(named.entrySet());
        ordered.sort(Comparator.comparingInt(e -> e.getValue().getFirst().index()));
        Map<String, List<Line>> result = new LinkedHashMap<>();
        ordered.forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /** The tid of the task a clone, clone3, fork or vfork started, or null. */
    private static Integer startedTask(String body) {
        Call c = parse(body);
        if (c == null || !TASK_START.contains(c.name()) || !INTEGER.matcher(c.result()).matches()) {
            return null;
        }
        int tid = Integer.parseInt(c.result());
        return tid > 0 ? tid : null;
    }

    /** The call with what differs from run to run replaced by a placeholder; a line it cannot parse as it is. */
    static String mask(String body) {
        Call c = parse(body);
        if (c == null) {
            return body;
        }
        List<String> args = new ArrayList<>();
        for (String arg : c.args()) {
            args.add(maskValue(arg));
        }
        for (int i : PID_ARGS.getOrDefault(c.name(), List.of())) {
            if (i < args.size() && INTEGER.matcher(args.get(i)).matches() && !args.get(i).equals("0")
                    && !args.get(i).equals("-1")) {
                args.set(i, "PID");
            }
        }
        if (c.name().equals("getrandom") && !args.isEmpty()) {
            args.set(0, "BYTES");
        }
        String result = maskValue(c.result());
        if (INTEGER.matcher(result).matches()) {
            if (PID_RESULT.contains(c.name()) && Long.parseLong(result) > 0) {
                result = "PID";
            } else if (TIME_RESULT.contains(c.name())) {
                result = "TIME";
            }
        }
        return c.name() + "(" + String.join(", ", args) + ") = " + result;
    }

    private static String maskValue(String value) {
        if (value.startsWith("{") && value.endsWith("}")) {
            List<String> fields = new ArrayList<>();
            for (String field : split(value, 1, value.length() - 1)) {
                int eq = field.indexOf('=');
                fields.add(eq > 0 && VOLATILE_FIELDS.contains(field.substring(0, eq)) ? field.substring(0, eq + 1) + "?"
                        : field);
            }
            return "{" + String.join(", ", fields) + "}";
        }
        return ADDRESS.matcher(value).matches() ? "ADDR" : value;
    }

    /** Parses {@code name(args) = result}; null for a line of another form. */
    private static Call parse(String body) {
        int open = body.indexOf('(');
        if (open <= 0) {
            return null;
        }
        int close = closing(body, open + 1);
        if (close < 0 || !body.startsWith(" = ", close + 1)) {
            return null;
        }
        List<String> args = close == open + 1 ? List.of() : split(body, open + 1, close);
        return new Call(body.substring(0, open), args, body.substring(close + 4));
    }

    /** The index of the parenthesis that closes the list starting at {@code from}, or -1. */
    private static int closing(String s, int from) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = endOfString(s, i);
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == ')') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    /** The items of {@code s[from, to)} separated by commas outside strings, braces and parentheses. */
    private static List<String> split(String s, int from, int to) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = endOfString(s, i);
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                items.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        items.add(s.substring(start, to).trim());
        return items;
    }

    /** The index of the quote that ends the C string starting at {@code quote} (escapes skipped). */
    private static int endOfString(String s, int quote) {
        for (int i = quote + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return s.length();
    }
}
