// Vitest setup: unmount rendered trees between tests; allow slow cold starts on busy CI machines.
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

configure({ asyncUtilTimeout: 4000 });
afterEach(() => cleanup());
