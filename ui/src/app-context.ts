// Session-wide context: the signed-in user, navigation and the shared error handler (lock on `locked`).
import { createContext, useContext } from "react";
import { toCommandError } from "./api/commands";
import type { AppStatus, CommandError, UserInfo } from "./api/types";

export type View =
  | { name: "cases" }
  | { name: "new-case" }
  | { name: "case"; id: string }
  | { name: "audit" }
  | { name: "settings" };

export interface AppContextValue {
  status: AppStatus | null;
  user: UserInfo | null;
  navigate: (view: View) => void;
  /**
   * Turns a thrown value into a CommandError to show, or null when it was handled here
   * (a `locked` error drops the session and shows sign-in).
   */
  handleError: (e: unknown) => CommandError | null;
}

export const AppContext = createContext<AppContextValue>({
  status: null,
  user: null,
  navigate: () => {},
  handleError: (e) => toCommandError(e),
});

export function useApp(): AppContextValue {
  return useContext(AppContext);
}
