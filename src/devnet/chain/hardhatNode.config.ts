// Hardhat configuration for the devnet's node process: the project's configuration with the
// node network's genesis time pinned (from the parent), so a replayed chain hashes as before.
import { defineConfig } from "hardhat/config";
import projectConfig from "../../../hardhat.config.ts";

const genesisDate = process.env.CONTINUUM_DEVNET_GENESIS_DATE;

export default defineConfig({
  ...projectConfig,
  networks: {
    ...projectConfig.networks,
    node: { type: "edr-simulated", chainId: 31337, ...(genesisDate ? { initialDate: genesisDate } : {}) },
  },
});
