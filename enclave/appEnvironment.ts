// The contract between the enclave and an app: the environment variables it starts with. Nothing
// is inherited from the worker's own environment, so no host setting or credential leaks in.
//
//   CONTINUUM_INPUT              directory holding the decrypted dataset (read-only for the app) and,
//                                for a pipeline stage, stages/<stage>/ with the output files of each
//                                stage it reads
//   CONTINUUM_OUTPUT             directory the app writes its results to; packed and encrypted after exit
//   CONTINUUM_DATASET_FILE       path of the decrypted dataset, when the deal has one
//   CONTINUUM_PARAMS             the request's params string, verbatim
//   CONTINUUM_DEAL_ID, CONTINUUM_TASK_INDEX, CONTINUUM_TASK_ID
//   CONTINUUM_SECRETS            directory of released secrets, read-only for the app:
//                                app/<name> (the app owner's) and requester/<name> (the requester's)
//
// The same directories are passed as `--input <dir> --output <dir>` arguments.
export interface AppContext {
  inputDirectory: string;
  outputDirectory: string;
  secretsDirectory: string;
  datasetFile: string | undefined;
  params: string;
  dealId: string;
  taskIndex: bigint;
  taskId: string;
}

export function appEnvironment(context: AppContext): Record<string, string> {
  const environment: Record<string, string> = {
    CONTINUUM_INPUT: context.inputDirectory,
    CONTINUUM_OUTPUT: context.outputDirectory,
    CONTINUUM_SECRETS: context.secretsDirectory,
    CONTINUUM_PARAMS: context.params,
    CONTINUUM_DEAL_ID: context.dealId,
    CONTINUUM_TASK_INDEX: context.taskIndex.toString(),
    CONTINUUM_TASK_ID: context.taskId,
    LANG: "C.UTF-8",
    TZ: "UTC",
  };
  if (context.datasetFile !== undefined) environment.CONTINUUM_DATASET_FILE = context.datasetFile;
  return environment;
}
