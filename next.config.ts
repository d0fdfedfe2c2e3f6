import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The Docker image runs the standalone server; `npm start` runs `next start`, which needs the default output.
  output: process.env.NEXT_STANDALONE === "1" ? "standalone" : undefined,
  poweredByHeader: false,
  turbopack: { root: import.meta.dirname },
  serverExternalPackages: ["ioredis"],
};

export default nextConfig;
