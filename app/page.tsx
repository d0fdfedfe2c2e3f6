export default function Home() {
  return (
    <main>
      <h1>Requeue</h1>
      <p data-testid="home">Console</p>
    </main>
  );
}
