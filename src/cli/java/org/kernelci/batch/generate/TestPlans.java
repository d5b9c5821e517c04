package org.kernelci.batch.generate;

import static org.kernelci.batch.generate.Vocabulary.MIPS;

import java.util.Set;
import java.util.function.Predicate;
import org.kernelci.batch.generate.Vocabulary.Board;

/**
 * The test plans boards run after booting a kernel (CONTRACT.md sections 12.6 and 12.7), as
 * kernelci's LAVA labs reported them: a plan run is a top group named after its plan, with test
 * cases and sub-groups (test sets), some two levels deep.
 */
final class TestPlans {
    /**
     * A test case.
     *
     * @param skip    how often it is skipped
     * @param flaky   how often it fails by chance
     * @param unit    the unit of its measurement, null when it measures nothing
     * @param typical its typical measurement
     */
    record Case(String name, double skip, double flaky, String unit, double typical) {
    }

    /**
     * A group of cases.
     *
     * @param share the share of series of runs that have it: all their runs have it, or none
     */
    record Group(String name, Case[] cases, Group[] groups, double share) {
    }

    /**
     * A plan.
     *
     * @param variants       its variants, one repeated to weigh it; a series of runs has one
     * @param share          the share of boot series (board, lab, tree, branch, defconfig) that run it
     * @param afterFailedBoot whether a failed boot still reports a run: its first case, failed
     * @param failures       messages of its failures' log lines
     */
    record Plan(Group top, String[] variants, double share, Predicate<Board> runsOn, boolean afterFailedBoot,
            String[] failures) {
        String name() {
            return top.name();
        }
    }

    private static final Set<String> GPU_MACHS = Set.of("rockchip", "mediatek", "amlogic", "qcom", "exynos", "tegra",
            "nvidia", "x86");

    static final Plan[] PLANS = {
        new Plan(group("baseline", 1, cases(flaky("login", 0.01)),
                group("dmesg", 1, cases(flaky("crit", 0.03), flaky("alert", 0.02), flaky("emerg", 0.01)))),
                new String[] {"baseline", "baseline", "baseline-nfs"}, 0.03, board -> true, true, new String[] {
                    "BUG: kernel NULL pointer dereference, address: 0000000000000008",
                    "Unable to handle kernel paging request at virtual address ffff800010a3b000",
                    "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
                    "mmc0: error -110 whilst initialising SD card",
                    "dwc3 fe800000.usb: failed to initialize core",
                    "Internal error: Oops: 96000004 [#1] PREEMPT SMP",
                    "WARNING: CPU: 2 PID: 1 at drivers/base/dd.c:575 really_probe+0x2c8/0x3a0",
                    "Kernel panic - not syncing: Fatal exception",
                }),
        new Plan(group("kselftest", 1, cases(),
                group("timers", 1, cases(flaky("nanosleep", 0.01), flaky("posix_timers", 0.01),
                        measured("set-timer-lat", "us", 120), measured("raw_skew", "ppm", 0.35))),
                group("futex", 0.4, cases(flaky("futex_requeue_pi", 0.01), flaky("futex_wait_timeout", 0.01))),
                group("rtc", 0.3, cases(skipped("rtctest", 0.2))),
                group("seccomp", 0.3, cases(flaky("seccomp_bpf", 0.02), measured("seccomp_benchmark", "ns", 310))),
                group("lkdtm", 0.2, cases(flaky("BUG", 0.01), flaky("WARNING", 0.01), skipped("CORRUPT_STACK", 0.3))),
                group("net", 0.3, cases(),
                        group("forwarding", 1, cases(flaky("router", 0.02), skipped("mirror_gre", 0.4))),
                        group("mptcp", 1, cases(flaky("mptcp_connect", 0.03))))),
                new String[] {"kselftest"}, 0.009, board -> true, false, new String[] {
                    "# not ok 3 selftests: timers: nanosleep # exit=1",
                    "# Bail out! clock_nanosleep failed: Invalid argument",
                    "# not ok 1 selftests: futex: futex_requeue_pi # TIMEOUT 45 seconds",
                    "# # FAIL  global.user_notification_basic",
                    "# lkdtm: Unexpected! This kernel was built with CONFIG_STACKPROTECTOR_STRONG=y",
                }),
        new Plan(group("ltp-timers", 1, cases(flaky("clock_nanosleep01", 0.01), flaky("clock_nanosleep02", 0.02),
                measured("clock_gettime02", "ns", 45), flaky("leapsec01", 0.01), skipped("timerfd01", 0.1))),
                new String[] {"ltp-timers"}, 0.008, board -> true, false, new String[] {
                    "clock_nanosleep02    1  TFAIL  :  Sleep time too long: 1540 us",
                    "leapsec01    1  TFAIL  :  leap second insertion did not happen",
                    "tst_test.c:1250: TBROK: Test killed by SIGSEGV!",
                }),
        new Plan(group("igt-kms", 1, cases(),
                group("kms_addfb_basic", 1, cases(flaky("addfb25-bad-modifier", 0.01), flaky("basic", 0.01),
                        skipped("bad-pitch-0", 0.1))),
                group("kms_flip", 0.5, cases(flaky("basic-flip-vs-wf_vblank", 0.04),
                        flaky("flip-vs-expired-vblank", 0.05))),
                group("kms_vblank", 0.5, cases(measured("pipe-A-accuracy-idle", "ms", 16.7),
                        flaky("pipe-A-query-idle", 0.02))),
                group("kms_setmode", 0.4, cases(flaky("basic", 0.02), skipped("invalid-clone-single-crtc", 0.5)))),
                new String[] {"igt-kms"}, 0.02, board -> GPU_MACHS.contains(board.mach()), false, new String[] {
                    "(kms_flip:512) CRITICAL: Test assertion failure function run_test_step, file ../tests/kms_flip.c",
                    "(kms_vblank:488) CRITICAL: Failed assertion: vblank.sequence == seq + 1",
                    "[drm:vop_crtc_atomic_flush] *ERROR* VOP timed out waiting for vblank",
                }),
        new Plan(group("v4l2-compliance", 1, cases(),
                group("required-ioctls", 1, cases(flaky("VIDIOC_QUERYCAP", 0.005), flaky("VIDIOC_LOG_STATUS", 0.01))),
                group("format-ioctls", 1, cases(flaky("VIDIOC_G_FMT", 0.01), flaky("VIDIOC_TRY_FMT", 0.03),
                        flaky("VIDIOC_S_FMT", 0.03))),
                group("buffer-ioctls", 0.5, cases(flaky("VIDIOC_REQBUFS-CREATE_BUFS-QUERYBUF", 0.02),
                        skipped("VIDIOC_EXPBUF", 0.3)))),
                new String[] {"v4l2-compliance-vivid", "v4l2-compliance-uvc"}, 0.007, board -> board.arch() != MIPS,
                false, new String[] {
                    "fail: v4l2-test-formats.cpp(1036): Video Capture is not supported",
                    "fail: v4l2-test-buffers.cpp(714): q.create_bufs(node, 1, &fmt) != EINVAL",
                    "test VIDIOC_TRY_FMT: FAIL",
                }),
        new Plan(group("sleep", 1, cases(measured("rtcwake-mem-1", "s", 1.9), measured("rtcwake-mem-2", "s", 1.9),
                flaky("rtcwake-mem-3", 0.03), skipped("rtcwake-freeze-1", 0.2))),
                new String[] {"sleep"}, 0.007, board -> board.qemu() == null, false,
                new String[] {
                    "rtcwake: write error",
                    "PM: Device 1-1 failed to resume async: error -110",
                    "Freezing of tasks failed after 20.006 seconds (1 tasks refusing to freeze, wq_busy=0):",
                }),
    };

    private TestPlans() {
    }

    private static Group group(String name, double share, Case[] cases, Group... groups) {
        return new Group(name, cases, groups, share);
    }

    private static Case[] cases(Case... cases) {
        return cases;
    }

    private static Case flaky(String name, double flaky) {
        return new Case(name, 0, flaky, null, 0);
    }

    private static Case skipped(String name, double skip) {
        return new Case(name, skip, 0.01, null, 0);
    }

    private static Case measured(String name, String unit, double typical) {
        return new Case(name, 0, 0.02, unit, typical);
    }
}
