package org.kernelci.batch.generate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The fixed vocabulary of generated data (shared/bench/README.md): trees, arches, defconfigs,
 * boards and labs. It is the same for every seed; the seed only chooses among it.
 */
final class Vocabulary {
    static final String[] ARCHES = {"arm", "arm64", "x86", "mips"};
    static final int ARM = 0;
    static final int ARM64 = 1;
    static final int X86 = 2;
    static final int MIPS = 3;

    static final String[] JOB_STATUSES = {"PASS", "FAIL", "BUILD", "UNKNOWN"};
    static final String[] BUILD_STATUSES = {"PASS", "FAIL", "UNKNOWN"};
    static final String[] BOOT_STATUSES = {"PASS", "FAIL", "OFFLINE", "UNTRIED"};

    static final String FILE_SERVER = "http://storage.kernelci.org/";

    /** How a tree names its kernels. */
    enum KernelStyle { MAINLINE, NEXT, STABLE, STABLE_RC }

    /**
     * @param buildShare how many builds a job of this tree has, relative to others
     * @param failRate   the share of its builds that fail
     */
    record Tree(String name, String gitUrl, String[] branches, double jobShare, double buildShare,
            double failRate, KernelStyle style) {
    }

    static final Tree[] TREES = {
        new Tree("mainline", "git://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git",
                new String[] {"master"}, 14, 1.5, 0.05, KernelStyle.MAINLINE),
        new Tree("next", "git://git.kernel.org/pub/scm/linux/kernel/git/next/linux-next.git",
                new String[] {"master", "pending-fixes"}, 16, 1.6, 0.11, KernelStyle.NEXT),
        new Tree("stable", "git://git.kernel.org/pub/scm/linux/kernel/git/stable/linux-stable.git",
                new String[] {"linux-5.19.y", "linux-5.15.y", "linux-5.10.y", "linux-5.4.y", "linux-4.19.y",
                    "linux-4.14.y"}, 8, 0.9, 0.03, KernelStyle.STABLE),
        new Tree("stable-rc", "git://git.kernel.org/pub/scm/linux/kernel/git/stable/linux-stable-rc.git",
                new String[] {"linux-5.19.y", "linux-5.15.y", "linux-5.10.y", "linux-5.4.y", "linux-4.19.y",
                    "linux-4.14.y"}, 13, 1.0, 0.06, KernelStyle.STABLE_RC),
        new Tree("arm-soc", "git://git.kernel.org/pub/scm/linux/kernel/git/arm/arm-soc.git",
                new String[] {"for-next", "to-build", "arm/fixes"}, 9, 1.0, 0.07, KernelStyle.MAINLINE),
        new Tree("linusw", "git://git.kernel.org/pub/scm/linux/kernel/git/linusw/linux-gpio.git",
                new String[] {"devel", "for-next", "fixes"}, 6, 0.6, 0.06, KernelStyle.MAINLINE),
        new Tree("broonie-regmap", "git://git.kernel.org/pub/scm/linux/kernel/git/broonie/regmap.git",
                new String[] {"for-next", "for-linus"}, 5, 0.5, 0.04, KernelStyle.MAINLINE),
        new Tree("tegra", "git://git.kernel.org/pub/scm/linux/kernel/git/tegra/linux.git",
                new String[] {"for-next"}, 6, 0.6, 0.06, KernelStyle.MAINLINE),
        new Tree("omap", "git://git.kernel.org/pub/scm/linux/kernel/git/tmlind/linux-omap.git",
                new String[] {"for-next", "omap-for-v6.1/soc", "omap-for-v6.1/dt"}, 6, 0.6, 0.06,
                KernelStyle.MAINLINE),
        new Tree("renesas", "git://git.kernel.org/pub/scm/linux/kernel/git/geert/renesas-devel.git",
                new String[] {"devel", "next"}, 6, 0.6, 0.05, KernelStyle.MAINLINE),
    };

    /**
     * A compiler builds are made with.
     *
     * @param share how many defconfigs are built with it, relative to others
     */
    record Toolchain(String environment, String compiler, String version, String versionFull, double share) {
    }

    static final Toolchain[] TOOLCHAINS = {
        new Toolchain("gcc-10", "gcc", "10.2.1", "gcc (Debian 10.2.1-6) 10.2.1 20210110", 0.65),
        new Toolchain("gcc-12", "gcc", "12.2.0", "gcc (Debian 12.2.0-14) 12.2.0", 0.12),
        new Toolchain("gcc-8", "gcc", "8.3.0", "gcc (Debian 8.3.0-6) 8.3.0", 0.08),
        new Toolchain("clang-15", "clang", "15.0.6", "Debian clang version 15.0.6", 0.15),
    };
    static final String[] CROSS_COMPILE = {"arm-linux-gnueabihf-", "aarch64-linux-gnu-", "", "mips-linux-gnu-"};

    /**
     * The toolchain (index in {@link #TOOLCHAINS}) a defconfig is built with, the same in every
     * tree and job, so that its builds and boots form series across kernels and trees (CONTRACT.md
     * sections 12.3 and 12.4). MIPS is built with gcc only.
     */
    static int toolchain(String defconfigFull, int arch) {
        double point = (SeededRandom.mix(defconfigFull.hashCode() ^ 0x746f6f6c636861L) >>> 11) * 0x1.0p-53;
        for (int t = 0; t < TOOLCHAINS.length; t++) {
            point -= TOOLCHAINS[t].share();
            if (point < 0) {
                return arch == MIPS && TOOLCHAINS[t].compiler().equals("clang") ? 0 : t;
            }
        }
        return 0;
    }

    /** Patch levels of the stable branches at the start of the window, in branch order. */
    static final int[] STABLE_BASE = {1, 70, 145, 215, 260, 295};

    /**
     * A defconfig of one arch.
     *
     * @param mach       the boards it boots on: a board mach, "-" for any board of the arch,
     *                   null when it is not booted
     * @param coverage   the share of its boards that boot each build of it
     */
    record Defconfig(String name, int arch, String mach, double coverage, double failFactor, int buildSeconds,
            boolean common) {
    }

    /** A config fragment: the suffix of defconfig_full. */
    record Fragment(String suffix, String file, boolean bigEndian) {
    }

    static final Fragment[] FRAGMENTS = {
        new Fragment("+CONFIG_CPU_BIG_ENDIAN=y", "frag-CONFIG_CPU_BIG_ENDIAN=y.config", true),
        new Fragment("+CONFIG_SMP=n", "frag-CONFIG_SMP=n.config", false),
        new Fragment("+CONFIG_EFI=y", "frag-CONFIG_EFI=y.config", false),
        new Fragment("+kselftest", "kselftest.config", false),
        new Fragment("+debug", "debug.config", false),
        new Fragment("+CONFIG_RANDOMIZE_BASE=y", "frag-CONFIG_RANDOMIZE_BASE=y.config", false),
        new Fragment("+CONFIG_PROVE_LOCKING=y", "frag-CONFIG_PROVE_LOCKING=y.config", false),
        new Fragment("+CONFIG_KASAN=y", "frag-CONFIG_KASAN=y.config", false),
    };

    /**
     * A board.
     *
     * @param dtb       the device tree path under dtbs/, without ".dtb"; null when none
     * @param labs      indexes in {@link #LABS}
     * @param failRate  how often a boot on it fails
     * @param bootMs    its typical boot time
     */
    record Board(String name, int arch, String mach, String dtb, int[] labs, double failRate, int bootMs,
            boolean fastboot, String qemu) {
    }

    record Lab(String name, double weight, double offlineRate, String contact, String address) {
    }

    static final Lab[] LABS = {
        lab("lab-collabora", 25, 0.05, "Guillaume", "Tucker", "Collabora Ltd.", "Cambridge", "United Kingdom",
                "CB4 0WZ", 52.234, 0.153),
        lab("lab-baylibre", 18, 0.04, "Kevin", "Hilman", "BayLibre", "Nice", "France", "06000", 43.710, 7.262),
        lab("lab-mhart", 6, 0.08, "Matt", "Hart", "Linaro", "Bristol", "United Kingdom", "BS1 4DJ", 51.454, -2.588),
        lab("lab-khilman", 10, 0.06, "Kevin", "Hilman", "BayLibre", "Seattle", "United States", "98101", 47.606,
                -122.332),
        lab("lab-tbaker", 4, 0.09, "Tyler", "Baker", "Linaro", "San Jose", "United States", "95113", 37.338,
                -121.886),
        lab("lab-cambridge", 8, 0.03, "Milo", "Casagrande", "Linaro", "Cambridge", "United Kingdom", "CB1 2JH",
                52.205, 0.119),
        lab("lab-linaro-lkft", 12, 0.02, "Dan", "Rue", "Linaro", "Austin", "United States", "78701", 30.267,
                -97.743),
        lab("lab-pengutronix", 6, 0.04, "Jan", "Luebbe", "Pengutronix e.K.", "Hildesheim", "Germany", "31137",
                52.154, 9.951),
        lab("lab-broonie", 7, 0.05, "Mark", "Brown", "Linaro", "Edinburgh", "United Kingdom", "EH1 1YZ", 55.953,
                -3.188),
        lab("lab-jsmith", 4, 0.07, "John", "Smith", "Independent", "Portland", "United States", "97201", 45.515,
                -122.679),
    };

    static final Defconfig[] DEFCONFIGS;
    static final Board[] BOARDS;
    /** Per defconfig: the boards it boots on (indexes in BOARDS); empty when not booted. */
    static final int[][] BOOTABLE_BOARDS;
    /** Per defconfig: a dtb_dir_data JSON array, null for arches without device trees. */
    static final String[] DTB_DIR_DATA;

    static final String[] FAIL_DESCRIPTIONS = {
        "Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)",
        "Unable to handle kernel NULL pointer dereference at virtual address 00000000",
        "Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b",
        "Timeout waiting for login prompt",
        "Bootloader failed to load the kernel image",
        "Kernel did not boot: no output after 'Starting kernel ...'",
        "Internal error: Oops: 96000004 [#1] PREEMPT SMP",
        "dhcp failed: no address obtained",
        "Unable to find the root filesystem",
        "RCU stall detected during boot",
        "BUG: scheduling while atomic",
        "Kernel panic - not syncing: Fatal exception in interrupt",
    };
    static final String[] OFFLINE_DESCRIPTIONS = {
        "Board offline: no response from the power controller",
        "Device is offline: health check failed",
        "Lab infrastructure failure: could not reach the serial console",
        "Device reserved for maintenance",
    };
    static final String[] UNTRIED_DESCRIPTIONS = {
        "Boot not attempted: missing dtb",
        "Boot not attempted: kernel image not found on the file server",
        "Boot not attempted: job cancelled",
    };

    private static final long VOCABULARY_SEED = 0x6b65726e656c6369L;

    private Vocabulary() {
    }

    private static Lab lab(String name, double weight, double offlineRate, String first, String last,
            String affiliation, String city, String country, String zipcode, double latitude, double longitude) {
        String email = first.toLowerCase() + "." + last.toLowerCase() + "@" + name.substring(4) + ".example.org";
        String contact = "{\"name\": \"" + first + "\", \"surname\": \"" + last + "\", \"email\": \"" + email
                + "\", \"affiliation\": \"" + affiliation + "\"}";
        String address = "{\"city\": \"" + city + "\", \"country\": \"" + country + "\", \"zipcode\": \"" + zipcode
                + "\", \"latitude\": " + latitude + ", \"longitude\": " + longitude + "}";
        return new Lab(name, weight, offlineRate, contact, address);
    }

    // name/mach/coverage; mach "-" boots on any board of the arch.
    private static final String[] ARM_BOOTED = {
        "multi_v7_defconfig/-/0.9", "omap2plus_defconfig/omap2/0.7", "exynos_defconfig/exynos/0.7",
        "sunxi_defconfig/sunxi/0.7", "tegra_defconfig/tegra/0.7", "imx_v6_v7_defconfig/imx/0.7",
        "mvebu_v7_defconfig/mvebu/0.6", "bcm2835_defconfig/bcm/0.6", "qcom_defconfig/qcom/0.5",
        "at91_dt_defconfig/at91/0.5", "sama5_defconfig/at91/0.5", "socfpga_defconfig/socfpga/0.5",
        "keystone_defconfig/keystone/0.5", "davinci_all_defconfig/davinci/0.5", "hisi_defconfig/hisi/0.5",
        "u8500_defconfig/ste/0.5", "shmobile_defconfig/renesas/0.6", "vexpress_defconfig/vexpress/0.5",
        "versatile_defconfig/qemu/0.3", "stm32_defconfig/stm32/0.4", "imx_v4_v5_defconfig/imx/0.1",
        "mxs_defconfig/imx/0.2", "multi_v5_defconfig/mvebu/0.2", "mvebu_v5_defconfig/mvebu/0.1",
    };
    private static final String[] ARM_BUILT = {
        "am200epdkit_defconfig", "aspeed_g4_defconfig", "aspeed_g5_defconfig", "assabet_defconfig",
        "axm55xx_defconfig", "badge4_defconfig", "cerfcube_defconfig", "clps711x_defconfig", "cm_x300_defconfig",
        "cns3420vb_defconfig", "colibri_pxa270_defconfig", "colibri_pxa300_defconfig", "collie_defconfig",
        "corgi_defconfig", "dove_defconfig", "ebsa110_defconfig", "em_x270_defconfig", "ep93xx_defconfig",
        "eseries_pxa_defconfig", "ezx_defconfig", "footbridge_defconfig", "gemini_defconfig", "h3600_defconfig",
        "h5000_defconfig", "hackkit_defconfig", "imote2_defconfig", "integrator_defconfig", "iop32x_defconfig",
        "ixp4xx_defconfig", "jornada720_defconfig", "ks8695_defconfig", "lart_defconfig", "lpc18xx_defconfig",
        "lpc32xx_defconfig", "lpd270_defconfig", "lubbock_defconfig", "magician_defconfig", "mainstone_defconfig",
        "milbeaut_m10v_defconfig", "mini2440_defconfig", "mmp2_defconfig", "moxart_defconfig", "mps2_defconfig",
        "multi_v4t_defconfig", "mv78xx0_defconfig", "neponset_defconfig", "netwinder_defconfig",
        "nhk8815_defconfig", "nuc910_defconfig", "nuc950_defconfig", "nuc960_defconfig", "omap1_defconfig",
        "orion5x_defconfig", "oxnas_v6_defconfig", "palmz72_defconfig", "pcm027_defconfig", "pleb_defconfig",
        "prima2_defconfig", "pxa168_defconfig", "pxa255-idp_defconfig", "pxa3xx_defconfig", "pxa910_defconfig",
        "pxa_defconfig", "raumfeld_defconfig", "realview_defconfig", "rpc_defconfig", "s3c2410_defconfig",
        "s3c6400_defconfig", "s5pv210_defconfig", "sama7_defconfig", "shannon_defconfig", "simpad_defconfig",
        "spear13xx_defconfig", "spear3xx_defconfig", "spear6xx_defconfig", "spitz_defconfig",
        "tango4_defconfig", "tct_hammer_defconfig", "trizeps4_defconfig", "u300_defconfig", "vf610m4_defconfig",
        "viper_defconfig", "vt8500_v6_v7_defconfig", "wpcm450_defconfig", "xcep_defconfig", "zeus_defconfig",
        "zx_defconfig",
    };
    private static final String[] MIPS_BOOTED = {
        "malta_defconfig/malta/0.6", "32r2el_defconfig/malta/0.4", "ci20_defconfig/ingenic/0.6",
        "pic32mzda_defconfig/pic32/0.4", "ath79_defconfig/ath79/0.4", "omega2p_defconfig/ralink/0.3",
        "vocore2_defconfig/ralink/0.3",
    };
    private static final String[] MIPS_BUILT = {
        "ar7_defconfig", "bcm47xx_defconfig", "bcm63xx_defconfig", "bigsur_defconfig", "bmips_be_defconfig",
        "bmips_stb_defconfig", "cavium_octeon_defconfig", "cu1000-neo_defconfig", "db1xxx_defconfig",
        "decstation_defconfig", "decstation_64_defconfig", "fuloong2e_defconfig", "gcw0_defconfig",
        "gpr_defconfig", "ip22_defconfig", "ip27_defconfig", "ip28_defconfig", "ip32_defconfig",
        "jazz_defconfig", "jmr3927_defconfig", "lemote2f_defconfig", "loongson1b_defconfig",
        "loongson1c_defconfig", "loongson3_defconfig", "malta_kvm_defconfig", "malta_qemu_32r6_defconfig",
        "maltaaprp_defconfig", "maltasmvp_defconfig", "maltasmvp_eva_defconfig", "maltaup_defconfig",
        "maltaup_xpa_defconfig", "mtx1_defconfig", "nlm_xlp_defconfig", "nlm_xlr_defconfig",
        "qi_lb60_defconfig", "rb532_defconfig", "rbtx49xx_defconfig", "rm200_defconfig", "rt305x_defconfig",
        "sb1250_swarm_defconfig", "tb0219_defconfig", "tb0226_defconfig", "tb0287_defconfig", "xway_defconfig",
        "generic_defconfig", "gcw0_defconfig",
    };
    private static final String[] SOC_DEFCONFIGS = {
        "rk3288", "rk3399", "rk3568", "sun8i", "sun50i", "meson64", "imx8", "imx93", "tegra194", "mt8183",
        "mt8192", "rcar3", "stm32mp1", "am65x", "j721e", "bcm2711", "msm8916", "sdm845", "sm8150", "exynos7",
        "hi3660", "zynqmp", "ls1028a", "armada37xx", "qcs404", "s32g", "uniphier", "sprd", "k3", "versal",
    };

    private static Defconfig[] defconfigs() {
        List<Defconfig> all = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        // The ones every tree builds come first.
        all.add(new Defconfig("defconfig", ARM64, "-", 0.9, 1.0, 420, true));
        all.add(new Defconfig("x86_64_defconfig", X86, "-", 0.9, 0.8, 300, true));
        all.add(new Defconfig("i386_defconfig", X86, "-", 0.3, 0.8, 260, true));
        for (String spec : ARM_BOOTED) {
            String[] parts = spec.split("/");
            all.add(new Defconfig(parts[0], ARM, parts[1], Double.parseDouble(parts[2]), 1.0, 240,
                    parts[0].equals("multi_v7_defconfig") || Double.parseDouble(parts[2]) >= 0.6));
        }
        for (String spec : MIPS_BOOTED) {
            String[] parts = spec.split("/");
            all.add(new Defconfig(parts[0], MIPS, parts[1], Double.parseDouble(parts[2]), 1.5, 200,
                    parts[0].equals("malta_defconfig")));
        }
        for (int arch = 0; arch < ARCHES.length; arch++) {
            all.add(new Defconfig("allnoconfig", arch, null, 0, 0.5, 40, true));
            all.add(new Defconfig("tinyconfig", arch, null, 0, 0.5, 30, arch <= ARM64));
            all.add(new Defconfig("allmodconfig", arch, null, 0, 3.0, 1800, arch <= X86));
        }
        for (String name : ARM_BUILT) {
            if (name.endsWith("_defconfig")) {
                all.add(new Defconfig(name, ARM, null, 0, 1.2, 200, false));
            }
        }
        for (String name : MIPS_BUILT) {
            all.add(new Defconfig(name, MIPS, null, 0, 1.5, 180, false));
        }
        for (String soc : SOC_DEFCONFIGS) {
            all.add(new Defconfig(soc + "_defconfig", ARM64, null, 0, 1.0, 380, false));
        }
        List<Defconfig> unique = new ArrayList<>();
        for (Defconfig defconfig : all) {
            if (seen.add(defconfig.name() + "/" + defconfig.arch())) {
                unique.add(defconfig);
            }
        }
        return unique.toArray(Defconfig[]::new);
    }

    // name/arch/mach/dtb ("-" for none)/qemu ("-" for none)
    private static final String[] KNOWN_BOARDS = {
        "beaglebone-black/arm/omap2/am335x-boneblack", "beaglebone-green/arm/omap2/am335x-bonegreen",
        "beagle-xm/arm/omap2/omap3-beagle-xm", "omap3-beagle/arm/omap2/omap3-beagle",
        "panda/arm/omap2/omap4-panda", "panda-es/arm/omap2/omap4-panda-es",
        "omap3-overo-tobi/arm/omap2/omap3-overo-tobi", "am57xx-beagle-x15/arm/omap2/am57xx-beagle-x15",
        "dra7-evm/arm/omap2/dra7-evm", "omap5-uevm/arm/omap2/omap5-uevm", "am335x-evm/arm/omap2/am335x-evm",
        "am437x-gp-evm/arm/omap2/am437x-gp-evm", "omap4-droid4/arm/omap2/omap4-droid4-xt894",
        "arndale/arm/exynos/exynos5250-arndale", "odroid-xu3/arm/exynos/exynos5422-odroidxu3",
        "odroid-u3/arm/exynos/exynos4412-odroidu3", "odroid-x2/arm/exynos/exynos4412-odroidx2",
        "odroid-xu/arm/exynos/exynos5410-odroidxu", "peach-pi/arm/exynos/exynos5800-peach-pi",
        "snow/arm/exynos/exynos5250-snow", "exynos5420-arndale-octa/arm/exynos/exynos5420-arndale-octa",
        "odroid-hc1/arm/exynos/exynos5422-odroidhc1",
        "sun7i-a20-cubieboard2/arm/sunxi/sun7i-a20-cubieboard2", "sun7i-a20-bananapi/arm/sunxi/sun7i-a20-bananapi",
        "sun4i-a10-cubieboard/arm/sunxi/sun4i-a10-cubieboard",
        "sun5i-a13-olinuxino-micro/arm/sunxi/sun5i-a13-olinuxino-micro",
        "sun6i-a31-app4-evb1/arm/sunxi/sun6i-a31-app4-evb1", "sun8i-h3-orangepi-pc/arm/sunxi/sun8i-h3-orangepi-pc",
        "sun8i-h3-bananapi-m2-plus/arm/sunxi/sun8i-h3-bananapi-m2-plus",
        "sun8i-a33-olinuxino/arm/sunxi/sun8i-a33-olinuxino",
        "sun7i-a20-olinuxino-lime2/arm/sunxi/sun7i-a20-olinuxino-lime2",
        "sun8i-h2-plus-orangepi-zero/arm/sunxi/sun8i-h2-plus-orangepi-zero",
        "sun9i-a80-optimus/arm/sunxi/sun9i-a80-optimus", "sun7i-a20-cubietruck/arm/sunxi/sun7i-a20-cubietruck",
        "sun8i-r40-bananapi-m2-ultra/arm/sunxi/sun8i-r40-bananapi-m2-ultra",
        "jetson-tk1/arm/tegra/tegra124-jetson-tk1", "tegra30-beaver/arm/tegra/tegra30-beaver",
        "tegra20-trimslice/arm/tegra/tegra20-trimslice", "tegra124-nyan-big/arm/tegra/tegra124-nyan-big",
        "tegra30-cardhu-a04/arm/tegra/tegra30-cardhu-a04",
        "imx6q-sabrelite/arm/imx/imx6q-sabrelite", "imx6q-wandboard/arm/imx/imx6q-wandboard",
        "imx6dl-riotboard/arm/imx/imx6dl-riotboard", "imx6q-nitrogen6x/arm/imx/imx6q-nitrogen6x",
        "imx53-qsrb/arm/imx/imx53-qsrb", "imx6ul-pico-hobbit/arm/imx/imx6ul-pico-hobbit",
        "imx6sx-sdb/arm/imx/imx6sx-sdb", "imx6q-udoo/arm/imx/imx6q-udoo", "imx7d-sdb/arm/imx/imx7d-sdb",
        "imx23-olinuxino/arm/imx/imx23-olinuxino", "imx28-duckbill/arm/imx/imx28-duckbill",
        "imx6qp-wandboard-revd1/arm/imx/imx6qp-wandboard-revd1", "vf610-colibri-eval-v3/arm/imx/vf610-colibri-eval-v3",
        "imx6q-var-dt6customboard/arm/imx/imx6q-var-dt6customboard", "imx6ul-14x14-evk/arm/imx/imx6ul-14x14-evk",
        "rk3288-rock2-square/arm/rockchip/rk3288-rock2-square", "rk3288-veyron-jaq/arm/rockchip/rk3288-veyron-jaq",
        "rk3288-veyron-minnie/arm/rockchip/rk3288-veyron-minnie",
        "rk3288-veyron-speedy/arm/rockchip/rk3288-veyron-speedy", "rk3288-firefly/arm/rockchip/rk3288-firefly",
        "rk3188-radxarock/arm/rockchip/rk3188-radxarock", "rk3288-miqi/arm/rockchip/rk3288-miqi",
        "rk3288-tinker/arm/rockchip/rk3288-tinker",
        "armada-370-mirabox/arm/mvebu/armada-370-mirabox",
        "armada-xp-openblocks-ax3-4/arm/mvebu/armada-xp-openblocks-ax3-4",
        "armada-388-clearfog/arm/mvebu/armada-388-clearfog", "armada-388-gp/arm/mvebu/armada-388-gp",
        "kirkwood-openblocks_a7/arm/mvebu/kirkwood-openblocks_a7", "dove-cubox/arm/mvebu/dove-cubox",
        "armada-385-turris-omnia/arm/mvebu/armada-385-turris-omnia",
        "bcm2836-rpi-2-b/arm/bcm/bcm2836-rpi-2-b", "bcm2837-rpi-3-b-32/arm/bcm/bcm2837-rpi-3-b",
        "bcm2835-rpi-b-plus/arm/bcm/bcm2835-rpi-b-plus", "bcm4708-smartrg-sr400ac/arm/bcm/bcm4708-smartrg-sr400ac",
        "bcm2711-rpi-4-b-32/arm/bcm/bcm2711-rpi-4-b",
        "qcom-apq8064-cm-qs600/arm/qcom/qcom-apq8064-cm-qs600", "qcom-apq8064-ifc6410/arm/qcom/qcom-apq8064-ifc6410",
        "qcom-apq8084-ifc6540/arm/qcom/qcom-apq8084-ifc6540",
        "qcom-msm8974-sony-xperia-honami/arm/qcom/qcom-msm8974-sony-xperia-honami",
        "at91-sama5d2_xplained/arm/at91/at91-sama5d2_xplained", "at91-sama5d4_xplained/arm/at91/at91-sama5d4_xplained",
        "at91sam9m10g45ek/arm/at91/at91sam9m10g45ek", "at91-sama5d3_xplained/arm/at91/at91-sama5d3_xplained",
        "at91sam9x35ek/arm/at91/at91sam9x35ek",
        "socfpga_cyclone5_socrates/arm/socfpga/socfpga_cyclone5_socrates",
        "socfpga_cyclone5_de0_nano_soc/arm/socfpga/socfpga_cyclone5_de0_nano_soc",
        "stm32mp157c-dk2/arm/stm32/stm32mp157c-dk2", "stm32mp157a-dhcor-avenger96/arm/stm32/stm32mp157a-dhcor-avenger96",
        "zynq-zc702/arm/zynq/zynq-zc702", "zynq-zybo/arm/zynq/zynq-zybo", "zynq-parallella/arm/zynq/zynq-parallella",
        "vexpress-v2p-ca15-tc1/arm/vexpress/vexpress-v2p-ca15-tc1", "vexpress-v2p-ca9/arm/vexpress/vexpress-v2p-ca9",
        "qemu_arm-virt-gicv2/arm/qemu/-/qemu-system-arm", "qemu_arm-virt-gicv3/arm/qemu/-/qemu-system-arm",
        "qemu_arm-versatilepb/arm/qemu/versatile-pb/qemu-system-arm",
        "qemu_arm-vexpress-a15/arm/vexpress/vexpress-v2p-ca15-tc1/qemu-system-arm",
        "hip04-d01/arm/hisi/hip04-d01", "hisi-x5hd2-dkb/arm/hisi/hisi-x5hd2-dkb",
        "meson8b-odroidc1/arm/meson/meson8b-odroidc1", "meson8b-ec100/arm/meson/meson8b-ec100",
        "ste-snowball/arm/ste/ste-snowball", "ste-hrefv60plus/arm/ste/ste-hrefv60plus",
        "keystone-k2e-evm/arm/keystone/keystone-k2e-evm", "keystone-k2hk-evm/arm/keystone/keystone-k2hk-evm",
        "da850-lcdk/arm/davinci/da850-lcdk", "da850-evm/arm/davinci/da850-evm", "dm365-evm/arm/davinci/dm365-evm",
        "r8a7791-porter/arm/renesas/r8a7791-porter", "r8a7790-lager/arm/renesas/r8a7790-lager",
        "r8a7743-iwg20d-q7/arm/renesas/r8a7743-iwg20d-q7", "r8a7745-iwg22d-sodimm/arm/renesas/r8a7745-iwg22d-sodimm",
        "r8a7791-koelsch/arm/renesas/r8a7791-koelsch",
        "alpine-db/arm/alpine/alpine-db", "ox820-cloudengines-pogoplug-series-3/arm/oxnas/ox820-cloudengines-pogoplug-series-3",
        "juno-r2/arm64/juno/arm/juno-r2", "juno-r1/arm64/juno/arm/juno-r1", "juno/arm64/juno/arm/juno",
        "hi6220-hikey/arm64/hisilicon/hisilicon/hi6220-hikey", "hi3660-hikey960/arm64/hisilicon/hisilicon/hi3660-hikey960",
        "hip07-d05/arm64/hisilicon/hisilicon/hip07-d05",
        "rk3399-gru-kevin/arm64/rockchip/rockchip/rk3399-gru-kevin",
        "rk3399-puma-haikou/arm64/rockchip/rockchip/rk3399-puma-haikou",
        "rk3399-firefly/arm64/rockchip/rockchip/rk3399-firefly", "rk3328-rock64/arm64/rockchip/rockchip/rk3328-rock64",
        "rk3399-rock-pi-4b/arm64/rockchip/rockchip/rk3399-rock-pi-4b",
        "rk3399-roc-pc/arm64/rockchip/rockchip/rk3399-roc-pc",
        "rk3399-khadas-edge-v/arm64/rockchip/rockchip/rk3399-khadas-edge-v",
        "rk3399-gru-scarlet-inx/arm64/rockchip/rockchip/rk3399-gru-scarlet-inx",
        "meson-gxbb-p200/arm64/amlogic/amlogic/meson-gxbb-p200",
        "meson-gxbb-odroidc2/arm64/amlogic/amlogic/meson-gxbb-odroidc2",
        "meson-gxl-s905x-khadas-vim/arm64/amlogic/amlogic/meson-gxl-s905x-khadas-vim",
        "meson-gxl-s905x-libretech-cc/arm64/amlogic/amlogic/meson-gxl-s905x-libretech-cc",
        "meson-gxm-khadas-vim2/arm64/amlogic/amlogic/meson-gxm-khadas-vim2",
        "meson-g12a-x96-max/arm64/amlogic/amlogic/meson-g12a-x96-max",
        "meson-g12b-odroid-n2/arm64/amlogic/amlogic/meson-g12b-odroid-n2",
        "meson-sm1-sei610/arm64/amlogic/amlogic/meson-sm1-sei610",
        "meson-g12a-sei510/arm64/amlogic/amlogic/meson-g12a-sei510",
        "meson-axg-s400/arm64/amlogic/amlogic/meson-axg-s400",
        "meson-gxbb-nanopi-k2/arm64/amlogic/amlogic/meson-gxbb-nanopi-k2",
        "meson-gxl-s805x-libretech-ac/arm64/amlogic/amlogic/meson-gxl-s805x-libretech-ac",
        "apq8016-sbc/arm64/qcom/qcom/apq8016-sbc", "apq8096-db820c/arm64/qcom/qcom/apq8096-db820c",
        "sdm845-db845c/arm64/qcom/qcom/sdm845-db845c", "qcs404-evb-4000/arm64/qcom/qcom/qcs404-evb-4000",
        "sc7180-trogdor-lazor-limozeen/arm64/qcom/qcom/sc7180-trogdor-lazor-limozeen",
        "r8a7795-salvator-x/arm64/renesas/renesas/r8a7795-salvator-x",
        "r8a7796-m3ulcb/arm64/renesas/renesas/r8a7796-m3ulcb",
        "r8a77965-salvator-x/arm64/renesas/renesas/r8a77965-salvator-x",
        "r8a774a1-hihope-rzg2m-ex/arm64/renesas/renesas/r8a774a1-hihope-rzg2m-ex",
        "r8a77990-ebisu/arm64/renesas/renesas/r8a77990-ebisu",
        "sun50i-a64-pine64-plus/arm64/allwinner/allwinner/sun50i-a64-pine64-plus",
        "sun50i-a64-bananapi-m64/arm64/allwinner/allwinner/sun50i-a64-bananapi-m64",
        "sun50i-h5-orangepi-pc2/arm64/allwinner/allwinner/sun50i-h5-orangepi-pc2",
        "sun50i-h6-orangepi-3/arm64/allwinner/allwinner/sun50i-h6-orangepi-3",
        "sun50i-h6-pine-h64/arm64/allwinner/allwinner/sun50i-h6-pine-h64",
        "sun50i-h5-libretech-all-h3-cc/arm64/allwinner/allwinner/sun50i-h5-libretech-all-h3-cc",
        "imx8mq-evk/arm64/freescale/freescale/imx8mq-evk", "imx8mm-evk/arm64/freescale/freescale/imx8mm-evk",
        "imx8mn-ddr4-evk/arm64/freescale/freescale/imx8mn-ddr4-evk",
        "imx8mp-evk/arm64/freescale/freescale/imx8mp-evk", "fsl-ls2088a-rdb/arm64/freescale/freescale/fsl-ls2088a-rdb",
        "fsl-ls1043a-rdb/arm64/freescale/freescale/fsl-ls1043a-rdb",
        "fsl-ls1028a-rdb/arm64/freescale/freescale/fsl-ls1028a-rdb",
        "mt8173-elm-hana/arm64/mediatek/mediatek/mt8173-elm-hana",
        "mt8183-kukui-jacuzzi-juniper-sku16/arm64/mediatek/mediatek/mt8183-kukui-jacuzzi-juniper-sku16",
        "mt7622-rfb1/arm64/mediatek/mediatek/mt7622-rfb1",
        "jetson-tx1/arm64/nvidia/nvidia/tegra210-p2371-2180",
        "tegra186-p2771-0000/arm64/nvidia/nvidia/tegra186-p2771-0000",
        "tegra194-p2972-0000/arm64/nvidia/nvidia/tegra194-p2972-0000",
        "jetson-nano/arm64/nvidia/nvidia/tegra210-p3450-0000",
        "bcm2837-rpi-3-b/arm64/broadcom/broadcom/bcm2837-rpi-3-b",
        "bcm2711-rpi-4-b/arm64/broadcom/broadcom/bcm2711-rpi-4-b",
        "armada-3720-espressobin/arm64/marvell/marvell/armada-3720-espressobin",
        "armada-8040-mcbin/arm64/marvell/marvell/armada-8040-mcbin",
        "armada-7040-db/arm64/marvell/marvell/armada-7040-db",
        "zynqmp-zcu102/arm64/xilinx/xilinx/zynqmp-zcu102",
        "k3-am654-base-board/arm64/ti/ti/k3-am654-base-board", "k3-j721e-common-proc-board/arm64/ti/ti/k3-j721e-common-proc-board",
        "qemu_arm64-virt-gicv2/arm64/qemu/-/qemu-system-aarch64",
        "qemu_arm64-virt-gicv3/arm64/qemu/-/qemu-system-aarch64",
        "x86-celeron/x86/x86/-", "x86-pentium4/x86/x86/-", "x86-atom330/x86/x86/-",
        "minnowboard-max-E3825/x86/x86/-", "minnowboard-turbot-E3826/x86/x86/-", "x86-x5-z8350/x86/x86/-",
        "asus-C523NA-A20057-coral/x86/x86/-", "hp-x360-12b-n4000-octopus/x86/x86/-",
        "dell-latitude-5400-4305U-sarien/x86/x86/-", "hp-11A-G6-EE-grunt/x86/x86/-", "acer-R721T-grunt/x86/x86/-",
        "asus-C436FA-Flip-hatch/x86/x86/-", "x86-nuc7i5bnh/x86/x86/-",
        "qemu_x86_64/x86/x86/-/qemu-system-x86_64", "qemu_i386/x86/x86/-/qemu-system-i386",
        "qemu_x86_64-uefi/x86/x86/-/qemu-system-x86_64",
        "qemu_mips-malta/mips/malta/-/qemu-system-mips", "qemu_mipsel-malta/mips/malta/-/qemu-system-mipsel",
        "qemu_mips64el-malta/mips/malta/-/qemu-system-mips64el", "ci20/mips/ingenic/ingenic/ci20",
        "pic32mzda-sk/mips/pic32/pic32/pic32mzda_sk", "tl-wr1043nd-v1/mips/ath79/qca/ar9132_tl_wr1043nd_v1",
        "omega2p/mips/ralink/ralink/omega2p", "vocore2/mips/ralink/ralink/vocore2",
    };

    // soc/arch/mach/dtb directory ("-" for none)
    private static final String[] BOARD_SOCS = {
        "am335x/arm/omap2/-", "omap3/arm/omap2/-", "imx6q/arm/imx/-", "imx6dl/arm/imx/-", "imx7d/arm/imx/-",
        "sun7i-a20/arm/sunxi/-", "sun8i-h3/arm/sunxi/-", "rk3288/arm/rockchip/-", "exynos5422/arm/exynos/-",
        "tegra124/arm/tegra/-", "stm32mp157c/arm/stm32/-", "at91-sama5d3/arm/at91/-", "armada-385/arm/mvebu/-",
        "bcm2836/arm/bcm/-", "qcom-apq8064/arm/qcom/-", "r8a7791/arm/renesas/-", "meson8b/arm/meson/-",
        "socfpga_cyclone5/arm/socfpga/-",
        "rk3399/arm64/rockchip/rockchip", "rk3328/arm64/rockchip/rockchip", "rk3568/arm64/rockchip/rockchip",
        "meson-gxl-s905x/arm64/amlogic/amlogic", "meson-g12b/arm64/amlogic/amlogic",
        "sun50i-h6/arm64/allwinner/allwinner", "sun50i-a64/arm64/allwinner/allwinner",
        "imx8mm/arm64/freescale/freescale", "imx8mq/arm64/freescale/freescale", "r8a77965/arm64/renesas/renesas",
        "mt8183/arm64/mediatek/mediatek", "msm8916/arm64/qcom/qcom", "sdm845/arm64/qcom/qcom",
        "tegra210/arm64/nvidia/nvidia", "armada-3720/arm64/marvell/marvell",
    };
    private static final String[] BOARD_SUFFIXES = {
        "evk", "sbc", "devkit", "olinuxino", "nanopi-neo", "hummingboard", "orangepi-one", "tinker",
        "colibri-eval", "dhcom-pdk2", "icore", "phycore-rdk", "var-som-mx", "wandboard", "sabresd", "evm",
        "xplained", "rock-pi", "pinebook", "khadas", "libretech", "odroid", "firefly", "beelink-gs1", "emmc",
        "nano", "plus", "lite", "pro", "mini", "hihope", "salvator", "db", "rdk", "q7", "som",
    };
    private static final int BOARD_COUNT = 300;

    private static Board[] boards() {
        SeededRandom random = SeededRandom.of(VOCABULARY_SEED, 1);
        List<String[]> specs = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String spec : KNOWN_BOARDS) {
            String[] parts = spec.split("/", -1);
            // A dtb may contain one '/' (vendor directory): name/arch/mach/dir/file[/qemu] for arm64.
            String name = parts[0];
            String arch = parts[1];
            String mach = parts[2];
            String dtb;
            String qemu = null;
            if (parts.length == 4) {
                dtb = parts[3];
            } else if (parts[3].equals("-")) {
                dtb = "-";
                qemu = parts[4];
            } else if (parts.length == 5 && parts[4].startsWith("qemu-")) {
                dtb = parts[3];
                qemu = parts[4];
            } else {
                dtb = parts[3] + "/" + parts[4];
            }
            if (names.add(name)) {
                specs.add(new String[] {name, arch, mach, dtb, qemu});
            }
        }
        while (specs.size() < BOARD_COUNT) {
            String[] soc = random.pick(BOARD_SOCS).split("/");
            String name = soc[0] + "-" + random.pick(BOARD_SUFFIXES);
            if (random.chance(0.3)) {
                name = name + "-" + random.pick(new String[] {"v2", "rev-b", "2gb", "4gb", "emmc", "som"});
            }
            if (names.add(name)) {
                String dtb = soc[3].equals("-") ? name : soc[3] + "/" + name;
                specs.add(new String[] {name, soc[1], soc[2], dtb, null});
            }
        }
        Board[] boards = new Board[specs.size()];
        double totalLabWeight = 0;
        for (Lab lab : LABS) {
            totalLabWeight += lab.weight();
        }
        for (int i = 0; i < boards.length; i++) {
            String[] spec = specs.get(i);
            int arch = List.of(ARCHES).indexOf(spec[1]);
            int labCount = random.chance(0.3) ? (random.chance(0.3) ? 3 : 2) : 1;
            Set<Integer> labs = new LinkedHashSet<>();
            while (labs.size() < labCount) {
                double point = random.nextDouble() * totalLabWeight;
                int lab = 0;
                while (lab < LABS.length - 1 && point >= LABS[lab].weight()) {
                    point -= LABS[lab].weight();
                    lab++;
                }
                labs.add(lab);
            }
            double roll = random.nextDouble();
            double failRate = roll < 0.70 ? 0.03 : roll < 0.95 ? 0.10 : 0.35;
            int bootMs = arch == X86 ? random.between(6_000, 25_000) : random.between(4_000, 45_000);
            boolean fastboot = spec[2].equals("qcom") || spec[0].startsWith("hi6220") || spec[0].startsWith("hi3660");
            String dtb = spec[3].equals("-") ? null : spec[3];
            boards[i] = new Board(spec[0], arch, spec[2], dtb, labs.stream().mapToInt(Integer::intValue).toArray(),
                    failRate, bootMs, fastboot, spec[4]);
        }
        return boards;
    }

    // Last: the lists above must be initialised first.
    static {
        DEFCONFIGS = defconfigs();
        BOARDS = boards();
        BOOTABLE_BOARDS = new int[DEFCONFIGS.length][];
        DTB_DIR_DATA = new String[DEFCONFIGS.length];
        for (int d = 0; d < DEFCONFIGS.length; d++) {
            Defconfig defconfig = DEFCONFIGS[d];
            List<Integer> boards = new ArrayList<>();
            if (defconfig.mach() != null) {
                for (int b = 0; b < BOARDS.length; b++) {
                    Board board = BOARDS[b];
                    if (board.arch() == defconfig.arch()
                            && (defconfig.mach().equals("-") || defconfig.mach().equals(board.mach()))) {
                        boards.add(b);
                    }
                }
            }
            BOOTABLE_BOARDS[d] = boards.stream().mapToInt(Integer::intValue).toArray();
            if (defconfig.arch() == ARM || defconfig.arch() == ARM64) {
                StringBuilder json = new StringBuilder("[");
                int listed = 0;
                for (int b : BOOTABLE_BOARDS[d]) {
                    if (BOARDS[b].dtb() != null && listed < 6) {
                        json.append(listed++ == 0 ? "\"" : ", \"").append(BOARDS[b].dtb()).append(".dtb\"");
                    }
                }
                DTB_DIR_DATA[d] = listed == 0 ? null : json.append(']').toString();
            }
        }
    }
}
