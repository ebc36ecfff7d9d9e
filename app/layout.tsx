import type { ReactNode } from 'react';
import './globals.css';

export const metadata = { title: 'Course', description: 'Workflows of dependent jobs, on schedule' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="top">
          <a href="/" className="brand">
            Course
          </a>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
