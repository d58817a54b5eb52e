// Tests for the document viewer: pages come from the worker as PNGs, with a pager and
// thumbnails; a page that cannot be drawn says why; nothing of the document outlives the view.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pagePreview, unpackPreview } from "../api/commands";
import type { DocumentInfo } from "../api/types";
import { renderApp } from "../test/render";
import { DocumentViewer } from "./DocumentViewer";

vi.mock("../api/commands", async (orig) => ({
  ...(await orig<typeof import("../api/commands")>()),
  pagePreview: vi.fn(),
}));

const doc: DocumentInfo = {
  id: "d1", case_id: "c1", file_name: "henvisning.pdf", media_type: "application/pdf", size_bytes: 10,
  sha256: "ab", duplicate: false, added_by: "u0", added_at: "2025-01-02T10:00:00Z",
};

let created: string[] = [];
let revoked: string[] = [];

beforeEach(() => {
  vi.clearAllMocks();
  created = [];
  revoked = [];
  URL.createObjectURL = vi.fn(() => {
    const url = `blob:preview-${created.length}`;
    created.push(url);
    return url;
  });
  URL.revokeObjectURL = vi.fn((url: string) => void revoked.push(url));
  vi.mocked(pagePreview).mockImplementation(async (_c, _d, page, width) => ({
    pages: 3,
    width,
    height: Math.round(width * 1.414),
    png: new Blob([`page ${page}`], { type: "image/png" }),
  }));
});

afterEach(() => vi.restoreAllMocks());

describe("DocumentViewer", () => {
  it("shows the first page drawn by the worker, then pages through the rest", async () => {
    renderApp(<DocumentViewer caseId="c1" doc={doc} />);
    const img = await screen.findByTestId("viewer-page");
    expect(img.getAttribute("alt")).toBe("Page 1 of 3");
    expect(vi.mocked(pagePreview).mock.calls[0].slice(0, 3)).toEqual(["c1", "d1", 1]);
    fireEvent.click(screen.getByText(/Next page/));
    await waitFor(() => expect(screen.getByTestId("viewer-page").getAttribute("alt")).toBe("Page 2 of 3"));
    expect(screen.getByTestId("viewer-page-label").textContent).toBe("Page 2 of 3");
  });

  it("draws a thumbnail of every page, and a thumbnail opens its page", async () => {
    renderApp(<DocumentViewer caseId="c1" doc={doc} />);
    await waitFor(() => expect(screen.getAllByTestId("viewer-thumb").filter((t) => t.querySelector("img"))).toHaveLength(3));
    const thumbCalls = vi.mocked(pagePreview).mock.calls.filter(([, , , width]) => width < 300);
    expect(thumbCalls.map(([, , page]) => page)).toEqual([1, 2, 3]);
    fireEvent.click(screen.getAllByTestId("viewer-thumb")[2]);
    await waitFor(() => expect(screen.getByTestId("viewer-page").getAttribute("alt")).toBe("Page 3 of 3"));
    expect(screen.getAllByTestId("viewer-thumb")[2].getAttribute("aria-current")).toBe("page");
  });

  it("says why a page cannot be drawn", async () => {
    vi.mocked(pagePreview).mockRejectedValue({
      kind: "invalid_input", code: "page_unreadable", message: "page 1: it cannot be rendered: the renderer crashed on it",
    });
    renderApp(<DocumentViewer caseId="c1" doc={doc} />);
    expect((await screen.findByRole("alert")).textContent).toContain("page 1: it cannot be rendered");
    expect(screen.queryByTestId("viewer-page")).toBeNull();
  });

  it("lets go of every page image when the view closes", async () => {
    const view = renderApp(<DocumentViewer caseId="c1" doc={doc} />);
    await waitFor(() => expect(screen.getAllByTestId("viewer-thumb").filter((t) => t.querySelector("img"))).toHaveLength(3));
    view.unmount();
    expect(created.length).toBeGreaterThan(0);
    expect([...revoked].sort()).toEqual([...created].sort());
  });
});

describe("unpackPreview", () => {
  it("reads the page count and size before the PNG", async () => {
    const body = new Uint8Array([0, 0, 0, 20, 0, 0, 2, 0, 0, 0, 2, 212, 0x89, 0x50, 0x4e, 0x47]);
    const preview = unpackPreview(body.buffer);
    expect([preview.pages, preview.width, preview.height]).toEqual([20, 512, 724]);
    expect(preview.png.type).toBe("image/png");
    expect(new Uint8Array(await preview.png.arrayBuffer())).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
  });

  it("refuses an answer too short to hold a page", () => {
    expect(() => unpackPreview(new Uint8Array([0, 1]))).toThrow("malformed page preview");
  });
});
