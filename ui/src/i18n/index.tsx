// Tiny i18n: typed keys, {placeholder} interpolation, a React context and the useT() hook.
import { createContext, useContext, useMemo, type ReactNode } from "react";
import type { Language } from "../api/types";
import { messages, type Key } from "./messages";

export type { Key } from "./messages";
export type Params = Record<string, string | number>;

/** A translate function bound to one language, plus helpers that need the language. */
export interface T {
  (key: Key, params?: Params): string;
  lang: Language;
  /** Translates `${prefix}.${code}` when that key exists, else returns the raw code (core codes evolve). */
  code: (prefix: string, code: string) => string;
  /** Locale-aware number, e.g. "100 000" in bokmål. */
  num: (n: number) => string;
  /** Locale-aware date and time from an ISO timestamp. */
  dateTime: (iso: string | null | undefined) => string;
  /** Locale-aware date from an ISO date or timestamp. */
  date: (iso: string | null | undefined) => string;
  /** The time of day ("10:42") of an ISO timestamp, with the date when it is not today. */
  time: (iso: string | null | undefined, now?: Date) => string;
}

export function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function isKey(k: string): k is Key {
  return Object.prototype.hasOwnProperty.call(messages.en, k);
}

const locales: Record<Language, string> = { nb: "nb-NO", en: "en-GB" };

export function makeT(lang: Language): T {
  const dict = messages[lang];
  const t = ((key: Key, params?: Params) => interpolate(dict[key] ?? key, params)) as T;
  t.lang = lang;
  t.code = (prefix, code) => {
    const k = `${prefix}.${code}`;
    return isKey(k) ? t(k) : code;
  };
  const numFmt = new Intl.NumberFormat(locales[lang]);
  t.num = (n) => numFmt.format(n);
  const dtFmt = new Intl.DateTimeFormat(locales[lang], { dateStyle: "short", timeStyle: "short" });
  const dFmt = new Intl.DateTimeFormat(locales[lang], { dateStyle: "medium" });
  t.dateTime = (iso) => {
    if (!iso) return t("common.none");
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : dtFmt.format(d);
  };
  t.date = (iso) => {
    if (!iso) return t("common.none");
    // Plain dates are calendar dates: parse at noon UTC so no time zone shifts the day.
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso);
    return Number.isNaN(d.getTime()) ? iso : dFmt.format(d);
  };
  const tFmt = new Intl.DateTimeFormat(locales[lang], { timeStyle: "short" });
  t.time = (iso, now = new Date()) => {
    if (!iso) return t("common.none");
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    return d.toDateString() === now.toDateString() ? tFmt.format(d) : dtFmt.format(d);
  };
  return t;
}

const I18nContext = createContext<T>(makeT("nb"));

export function I18nProvider({ lang, children }: { lang: Language; children: ReactNode }) {
  const t = useMemo(() => makeT(lang), [lang]);
  return <I18nContext.Provider value={t}>{children}</I18nContext.Provider>;
}

export function useT(): T {
  return useContext(I18nContext);
}
