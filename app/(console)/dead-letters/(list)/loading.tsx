import { Loading } from "#components/ui/states.tsx";

export default function DeadLettersLoading() {
  return <Loading what="dead letters" />;
}
