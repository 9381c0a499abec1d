/** A message next to the field it is about (the server's 400 or the form's own check); nothing when null. */
export function FieldError({ id, message }: { id: string; message: string | null }) {
  if (message === null) return null;
  return (
    <span id={id} className="field-error" role="alert">
      {message}
    </span>
  );
}
