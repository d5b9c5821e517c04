package org.kernelci.batch.generate;

/**
 * Lines of kernel build logs as the original's log parser kept them (CONTRACT.md section 12.1):
 * compiler errors and warnings, modpost's section mismatches. The builds of one job share most of
 * their lines, as the builds of one kernel do, so that a job's log summary counts them.
 */
final class LogLines {
    private static final String[] SOURCES = {
        "drivers/gpu/drm/i915/gt/intel_engine_cs.c", "drivers/gpu/drm/amd/display/dc/core/dc_link.c",
        "drivers/gpu/drm/msm/disp/dpu1/dpu_encoder.c", "drivers/gpu/drm/rockchip/rockchip_drm_vop.c",
        "drivers/gpu/drm/panfrost/panfrost_job.c", "drivers/gpu/drm/mediatek/mtk_dpi.c",
        "drivers/net/ethernet/stmicro/stmmac/stmmac_main.c", "drivers/net/ethernet/freescale/fec_main.c",
        "drivers/net/wireless/ath/ath10k/mac.c", "drivers/net/phy/phylink.c", "drivers/mmc/host/sdhci-of-arasan.c",
        "drivers/mmc/host/dw_mmc.c", "drivers/usb/dwc3/gadget.c", "drivers/usb/host/xhci-ring.c",
        "drivers/pci/controller/pcie-rockchip-host.c", "drivers/pci/controller/dwc/pcie-designware-host.c",
        "drivers/clk/qcom/gcc-sdm845.c", "drivers/clk/meson/g12a.c", "drivers/pinctrl/pinctrl-rockchip.c",
        "drivers/pinctrl/mediatek/pinctrl-paris.c", "drivers/spi/spi-rockchip.c", "drivers/i2c/busses/i2c-rk3x.c",
        "drivers/media/platform/qcom/venus/core.c", "drivers/media/v4l2-core/v4l2-ioctl.c",
        "drivers/iommu/arm/arm-smmu/arm-smmu.c", "drivers/irqchip/irq-gic-v3-its.c", "drivers/tty/serial/8250/8250_port.c",
        "drivers/thermal/rockchip_thermal.c", "drivers/regulator/core.c", "drivers/soc/qcom/rpmh-rsc.c",
        "drivers/firmware/efi/libstub/efi-stub.c", "drivers/scsi/ufs/ufshcd.c", "drivers/nvme/host/core.c",
        "sound/soc/codecs/rt5682.c", "sound/soc/sof/ipc.c", "fs/btrfs/inode.c", "fs/ext4/super.c", "fs/f2fs/segment.c",
        "fs/nfs/nfs4proc.c", "mm/page_alloc.c", "mm/slub.c", "kernel/sched/fair.c", "kernel/bpf/verifier.c",
        "kernel/trace/ftrace.c", "net/ipv4/tcp_input.c", "net/core/skbuff.c", "net/mac80211/rx.c",
        "arch/arm/mach-omap2/omap_hwmod.c", "arch/arm/mm/dma-mapping.c", "arch/arm64/kernel/cpufeature.c",
        "arch/arm64/kvm/arm.c", "arch/x86/kernel/cpu/common.c", "arch/x86/kvm/vmx/vmx.c",
        "arch/mips/kernel/traps.c", "arch/mips/mm/tlbex.c", "lib/test_bpf.c", "include/linux/compiler.h",
        "include/linux/kernel.h", "include/linux/mm.h",
    };
    private static final String[] SYMBOLS = {
        "ret", "priv", "dev", "ndev", "len", "offset", "flags", "val", "status", "reg", "idx", "node", "clk",
        "intel_engine_init_common", "dc_link_detect", "dpu_encoder_virt_enable", "vop_crtc_atomic_enable",
        "panfrost_job_run", "mtk_dpi_probe", "stmmac_open", "fec_enet_rx_queue", "ath10k_mac_op_add_interface",
        "phylink_resolve", "sdhci_arasan_probe", "dw_mci_probe", "dwc3_gadget_ep_queue", "xhci_queue_bulk_tx",
        "rockchip_pcie_init_port", "dw_pcie_host_init", "gcc_sdm845_probe", "meson_clk_pll_set_rate",
        "rockchip_pinctrl_probe", "mtk_paris_pinctrl_probe", "rockchip_spi_probe", "rk3x_i2c_probe",
        "venus_probe", "v4l_querycap", "arm_smmu_device_probe", "its_init", "serial8250_do_startup",
        "rockchip_thermal_probe", "regulator_register", "rpmh_rsc_probe", "efi_pe_entry", "ufshcd_init",
        "nvme_init_ctrl", "rt5682_i2c_probe", "sof_ipc_tx_message", "btrfs_finish_ordered_io",
        "ext4_fill_super", "f2fs_allocate_data_block", "nfs4_proc_open", "__alloc_pages", "kmem_cache_alloc",
        "update_cfs_rq_load_avg", "do_check", "ftrace_modify_all_code", "tcp_rcv_established", "skb_copy_bits",
        "ieee80211_rx_list", "omap_hwmod_setup_one", "arm_dma_alloc", "cpufeature_init", "kvm_arch_init",
        "identify_cpu", "vmx_vcpu_run", "do_ade", "build_tlb_refill_handler",
    };
    private static final String[] CONFIGS = {
        "CONFIG_DRM_PANEL_BRIDGE", "CONFIG_SND_SOC_RT5682", "CONFIG_PHY_ROCKCHIP_INNO_USB2", "CONFIG_GPIOLIB",
        "CONFIG_REGMAP_I2C", "CONFIG_MFD_SYSCON", "CONFIG_CRYPTO_LIB_SHA256", "CONFIG_PM_SLEEP",
        "CONFIG_PCI_MSI_IRQ_DOMAIN", "CONFIG_MTD_NAND_CORE",
    };
    // "%s" stands for a symbol.
    private static final String[] ERROR_MESSAGES = {
        "implicit declaration of function '%s' [-Werror=implicit-function-declaration]",
        "'%s' undeclared (first use in this function)", "too few arguments to function '%s'",
        "redefinition of '%s'", "conflicting types for '%s'", "expected ';' before '}' token",
        "unknown type name 'u64'", "'struct device' has no member named '%s'",
        "passing argument 1 of '%s' from incompatible pointer type [-Werror=incompatible-pointer-types]",
        "control reaches end of non-void function [-Werror=return-type]",
    };
    private static final String[] WARNING_MESSAGES = {
        "unused variable '%s' [-Wunused-variable]",
        "'%s' may be used uninitialized in this function [-Wmaybe-uninitialized]",
        "'%s' defined but not used [-Wunused-function]",
        "no previous prototype for '%s' [-Wmissing-prototypes]",
        "variable '%s' set but not used [-Wunused-but-set-variable]",
        "this statement may fall through [-Wimplicit-fallthrough=]",
        "cast to pointer from integer of different size [-Wint-to-pointer-cast]",
        "format '%ld' expects argument of type 'long int', but argument 3 has type 'size_t' {aka 'unsigned int'}"
            + " [-Wformat=]",
        "the frame size of 1040 bytes is larger than 1024 bytes [-Wframe-larger-than=]",
        "array subscript 4 is above array bounds of 'u32[4]' {aka 'unsigned int[4]'} [-Warray-bounds]",
        "comparison of distinct pointer types lacks a cast",
        "variable '%s' is used uninitialized whenever 'if' condition is false [-Wsometimes-uninitialized]",
    };

    /** The lines one job's builds draw from, each already a JSON string. */
    record Pool(String[] errors, String[] warnings, String[] mismatches) {
    }

    private LogLines() {
    }

    static Pool pool(SeededRandom random) {
        String[] errors = new String[12];
        String[] warnings = new String[40];
        String[] mismatches = new String[6];
        for (int i = 0; i < errors.length; i++) {
            errors[i] = json(error(random));
        }
        for (int i = 0; i < warnings.length; i++) {
            warnings[i] = json(warning(random));
        }
        for (int i = 0; i < mismatches.length; i++) {
            mismatches[i] = json(mismatch(random));
        }
        return new Pool(errors, warnings, mismatches);
    }

    /** A JSON array of {@code count} lines, most from the pool (its first lines most often), some new. */
    static String list(SeededRandom random, String[] pool, int count, Kind kind) {
        if (count == 0) {
            return "[]";
        }
        StringBuilder out = new StringBuilder(count * 110);
        out.append('[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(", ");
            }
            if (random.chance(0.85)) {
                double u = random.nextDouble();
                out.append(pool[(int) (u * u * pool.length)]);
            } else {
                out.append(json(switch (kind) {
                    case ERROR -> error(random);
                    case WARNING -> warning(random);
                    case MISMATCH -> mismatch(random);
                }));
            }
        }
        return out.append(']').toString();
    }

    /** The kinds of lines. */
    enum Kind { ERROR, WARNING, MISMATCH }

    private static String error(SeededRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> "ERROR: modpost: \"" + random.pick(SYMBOLS) + "\" [" + module(random) + "] undefined!";
            case 1 -> random.pick(SOURCES) + ":(.text+0x" + Integer.toHexString(random.between(0x10, 0xfff))
                    + "): undefined reference to `" + random.pick(SYMBOLS) + "'";
            default -> located(random) + ": error: " + random.pick(ERROR_MESSAGES).replace("%s", random.pick(SYMBOLS));
        };
    }

    private static String warning(SeededRandom random) {
        return switch (random.nextInt(12)) {
            case 0 -> "WARNING: unmet direct dependencies detected for " + random.pick(CONFIGS);
            case 1 -> "WARNING: modpost: missing MODULE_LICENSE() in " + object(random);
            default -> located(random) + ": warning: "
                    + random.pick(WARNING_MESSAGES).replace("%s", random.pick(SYMBOLS));
        };
    }

    private static String mismatch(SeededRandom random) {
        String offset = Integer.toHexString(random.between(0x40, 0x3fffff));
        return random.chance(0.6)
                ? "WARNING: modpost: vmlinux.o(.text+0x" + offset + "): Section mismatch in reference from the function "
                        + random.pick(SYMBOLS) + "() to the function .init.text:" + random.pick(SYMBOLS) + "()"
                : "WARNING: modpost: " + object(random) + "(.data+0x" + offset
                        + "): Section mismatch in reference from the variable " + random.pick(SYMBOLS)
                        + "_driver to the function .init.text:" + random.pick(SYMBOLS) + "()";
    }

    private static String located(SeededRandom random) {
        return random.pick(SOURCES) + ":" + random.between(12, 4800) + ":" + random.between(2, 60);
    }

    private static String object(SeededRandom random) {
        String source = random.pick(SOURCES);
        return source.substring(0, source.length() - 1) + "o";
    }

    private static String module(SeededRandom random) {
        String source = random.pick(SOURCES);
        return source.substring(0, source.length() - 1) + "ko";
    }

    /** A JSON string of the text (which holds no control characters). */
    static String json(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}
