import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  output: "standalone",
  poweredByHeader: false,
  turbopack: { root: import.meta.dirname },
  serverExternalPackages: ["ioredis"],
};

export default nextConfig;
