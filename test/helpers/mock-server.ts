// A mock on real HTTP (port 0) for the length of one test: started, handed to the test, and
// closed whether the test passes or throws.
import { startMockServer, type RunningMock, type StartOptions } from '../../mock/server';

/** Starts a mock server with `options`, runs `test` on it, and closes it afterwards. */
export async function withMockServer<T>(options: StartOptions, test: (server: RunningMock) => Promise<T>): Promise<T> {
  const server = await startMockServer(options);
  try {
    return await test(server);
  } finally {
    await server.close();
  }
}
