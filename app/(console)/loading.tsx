/** Shown while a console page renders on the server. */
import { Loading } from "#components/ui/states.tsx";

export default function ConsoleLoading() {
  return <Loading what="the page" />;
}
