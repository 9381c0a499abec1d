/** What the cost commands print to and read the environment from. */
export interface CostCommandsIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}
