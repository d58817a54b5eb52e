// Tests that both dictionaries are complete and agree on placeholders, and that interpolation works.
import { describe, expect, it } from "vitest";
import { interpolate, makeT } from "./index";
import { messages } from "./messages";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("i18n", () => {
  it("has the same keys in English and bokmål", () => {
    expect(Object.keys(messages.nb).sort()).toEqual(Object.keys(messages.en).sort());
  });

  it("has a non-empty text for every key in both languages", () => {
    for (const lang of ["en", "nb"] as const) {
      for (const [key, text] of Object.entries(messages[lang])) {
        expect(text.trim(), `${lang}:${key}`).not.toBe("");
      }
    }
  });

  it("uses the same {placeholders} in both languages", () => {
    for (const key of Object.keys(messages.en) as (keyof typeof messages.en)[]) {
      expect(placeholders(messages.nb[key]), key).toEqual(placeholders(messages.en[key]));
    }
  });

  it("interpolates named placeholders and leaves unknown ones visible", () => {
    expect(interpolate("{a} of {b} {c}", { a: 2, b: 9 })).toBe("2 of 9 {c}");
  });

  it("translates the required domain terms into bokmål", () => {
    const t = makeT("nb");
    expect(t.code("doc", "passport")).toBe("Pass");
    expect(t.code("doc", "discharge_summary")).toBe("Epikrise");
    expect(t("status.IN_REVIEW")).toBe("Under vurdering");
    expect(t("role.reviewer")).toBe("kontrollør");
    expect(t("role.auditor")).toBe("revisor");
  });

  it("falls back to the raw code for unknown codes", () => {
    expect(makeT("en").code("warn", "brand_new_code")).toBe("brand_new_code");
  });
});
