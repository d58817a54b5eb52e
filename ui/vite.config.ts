// Vite build (relative base for the Tauri window) and Vitest setup (jsdom).
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

export default defineConfig({
  base: "./",
  plugins: [react()],
  // Tauri serves ui/dist from disk; a fixed port keeps `tauri dev` predictable.
  server: { port: 5173, strictPort: true },
  build: { outDir: "dist", target: "es2022", sourcemap: false },
  test: {
    environment: "jsdom",
    globals: false,
    setupFiles: ["./src/test/setup.ts"],
    // The CI machine has 2 cores shared with Rust builds: a cold jsdom start can take seconds.
    testTimeout: 15000,
  },
});
