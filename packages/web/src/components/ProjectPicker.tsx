import { useEffect, useId, useState, type FormEvent } from 'react';

interface ProjectPickerProps {
  project: string;
  onChange: (project: string) => void;
}

/** For an admin key over every project: which project to look at. */
export function ProjectPicker({ project, onChange }: ProjectPickerProps) {
  const inputId = useId();
  const [draft, setDraft] = useState(project);
  useEffect(() => setDraft(project), [project]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = draft.trim();
    if (trimmed !== '' && trimmed !== project) onChange(trimmed);
  };

  return (
    <form className="project-picker" aria-label="Project" onSubmit={submit}>
      <label htmlFor={inputId}>Project</label>
      <input id={inputId} value={draft} onChange={(event) => setDraft(event.target.value)} spellCheck={false} />
      <button type="submit">Show</button>
      <span className="muted">This admin key can see every project.</span>
    </form>
  );
}
