package org.kernelci.batch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The version of the build, from the same resource {@code /version} answers with. */
final class CliVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = CliVersion.class.getResourceAsStream("/kci-batch.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {"kci-batch-cli " + properties.getProperty("version", "unknown")};
    }
}
