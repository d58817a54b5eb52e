// A non-field error shown to the user: the core's message, announced as an alert.
export function ErrorMessage({ message, testId = "error-message" }: { message: string | null; testId?: string }) {
  if (!message) return null;
  return (
    <div className="error" role="alert" data-testid={testId}>
      {message}
    </div>
  );
}
